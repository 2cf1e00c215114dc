import { desc, eq } from 'drizzle-orm';
import { devMailbox } from '../../src/platform/mail/schema.js';
import type { TestApp } from './test-app.js';
import { eventually } from './test-app.js';

/** The newest dev-mailbox message of a template for an address, once the outbox consumer has sent it. */
export async function awaitMail(app: TestApp, to: string, template: string, notBefore = 0): Promise<{ text: string; token: string; subject: string }> {
  return eventually(async () => {
    const rows = await app.database.db.select().from(devMailbox).where(eq(devMailbox.to, to)).orderBy(desc(devMailbox.sentAt), desc(devMailbox.id));
    const found = rows.filter((r) => r.template === template);
    if (found.length <= notBefore) return null;
    const mail = found[0]!;
    return { text: mail.text, subject: mail.subject, token: tokenIn(mail.text) };
  });
}

export const tokenIn = (text: string): string => decodeURIComponent(/[?&]token=([^\s&]+)/.exec(text)?.[1] ?? '');
