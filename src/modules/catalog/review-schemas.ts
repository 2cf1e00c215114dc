import Type from 'typebox';

export const HandleParamsSchema = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 200 }) });
