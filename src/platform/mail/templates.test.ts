import { expect, test } from 'vitest';
import { orderConfirmationMail, resetPasswordMail, verifyEmailMail } from './templates.js';

test('each mail has a text part with the link and an escaped HTML part', () => {
  const mail = verifyEmailMail('ada@example.com', 'Ada <script>', 'https://shop.example.com/account/verify-email?token=abc&x=1');
  expect(mail).toMatchObject({ template: 'verify-email', to: 'ada@example.com', subject: 'Confirm your e-mail address' });
  expect(mail.text).toContain('https://shop.example.com/account/verify-email?token=abc&x=1');
  expect(mail.html).toContain('Hello Ada &lt;script&gt;,');
  expect(mail.html).toContain('href="https://shop.example.com/account/verify-email?token=abc&amp;x=1"');
  expect(resetPasswordMail('a@b.co', 'A', 'https://x/r').text).toMatch(/30 minutes/);
});

test('the order confirmation lists lines and the total as given', () => {
  const mail = orderConfirmationMail('a@b.co', 'Ada', { number: 'CM-1001', lines: [{ name: 'Mug', quantity: 2, total: '€25.00' }], total: '€25.00', link: 'https://x/o/1' });
  expect(mail.subject).toBe('Your order CM-1001');
  expect(mail.text).toContain('2 × Mug: €25.00');
  expect(mail.text).toContain('Total: €25.00');
});
