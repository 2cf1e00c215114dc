import Type from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

export const mediaUploaded = defineEvent({
  type: 'media.uploaded', aggregateType: 'media',
  payload: Type.Object({ mediaId: Type.String(), contentType: Type.String(), width: Type.Integer(), height: Type.Integer() }),
});
export const mediaReady = defineEvent({
  type: 'media.ready', aggregateType: 'media',
  payload: Type.Object({ mediaId: Type.String(), variants: Type.Array(Type.String()), placeholder: Type.Union([Type.String(), Type.Null()]) }),
});
