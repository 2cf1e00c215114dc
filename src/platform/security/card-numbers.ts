/**
 * Anything that looks like a payment card number (13–19 digits, optionally grouped by
 * spaces or dashes, passing the Luhn check) is masked to its last four digits wherever we
 * write text we keep: logs, chat transcripts, notes. PCI DSS 3.4 allows showing last four.
 */
const CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function maskCardNumbers(text: string): string {
  return text.replace(CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return luhnValid(digits) ? `**** **** **** ${digits.slice(-4)}` : match;
  });
}
