/**
 * Transactions → the (x, t_x, T) summary every buy-till-you-die model is fitted on, with the
 * calibration/holdout split of Fader, Hardie & Lee (2005), Marketing Science 24(2), §4, and
 * the mean repeat spend z̄ of Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4).
 *
 * Conventions (Hardie's, so CDNOW's published summaries come out exactly):
 *  - time is counted in whole days (UTC); several records on one day are one transaction whose
 *    amount is their sum;
 *  - the first transaction is the customer's "birth" and is not a repeat purchase:
 *    frequency x = transaction days in calibration − 1;
 *  - recency t_x = last calibration day − first day, T = calibration end − first day, both in
 *    `timeUnitDays` units (7 → weeks);
 *  - monetary = mean amount of the repeat transactions (0 when x = 0), because the first
 *    purchase is often atypical (FHL "RFM and CLV", §3);
 *  - customers whose first purchase is after the calibration end are left out.
 */

export interface Transaction {
  customerId: string | number;
  /** A Date, or days since 1970-01-01 (UTC; fractions are truncated to the day). */
  at: Date | number;
  amount: number;
}

/** What the transaction models need about one customer. */
export interface FrequencyRecency {
  /** x: number of repeat transactions in the calibration period. */
  frequency: number;
  /** t_x: time of the last transaction, counted from the first. */
  recency: number;
  /** T: length of the observation window, from the first transaction to the calibration end. */
  T: number;
}

export interface CustomerSummary extends FrequencyRecency {
  customerId: string | number;
  /** z̄: mean amount of the repeat transactions, 0 when there are none. */
  monetary: number;
  /** Transactions after the calibration end up to `holdoutEnd` (only when one was given). */
  holdoutFrequency?: number;
  /** Their total amount (only when `holdoutEnd` was given). */
  holdoutAmount?: number;
}

export interface SummaryOptions {
  /** Last day of the calibration period (inclusive). */
  calibrationEnd: Date | number;
  /** Last day of the holdout period (inclusive); omit for no holdout counts. */
  holdoutEnd?: Date | number;
  /** Length of the model's time unit in days: 7 for weeks (the CDNOW convention), 1 for days. */
  timeUnitDays?: number;
}

const MS_PER_DAY = 86_400_000;

export function toEpochDay(at: Date | number): number {
  return Math.floor(typeof at === 'number' ? at : at.getTime() / MS_PER_DAY);
}

/** Summaries in the order customers first appear in `transactions`. */
export function summariseTransactions(transactions: readonly Transaction[], options: SummaryOptions): CustomerSummary[] {
  const unit = options.timeUnitDays ?? 7;
  const calibrationEnd = toEpochDay(options.calibrationEnd);
  const holdoutEnd = options.holdoutEnd === undefined ? undefined : toEpochDay(options.holdoutEnd);

  // customer → day → amount, so same-day records merge regardless of input order.
  const byCustomer = new Map<string | number, Map<number, number>>();
  for (const t of transactions) {
    let days = byCustomer.get(t.customerId);
    if (days === undefined) {
      days = new Map();
      byCustomer.set(t.customerId, days);
    }
    const day = toEpochDay(t.at);
    days.set(day, (days.get(day) ?? 0) + t.amount);
  }

  const summaries: CustomerSummary[] = [];
  for (const [customerId, days] of byCustomer) {
    const ordered = [...days.entries()].sort((p, q) => p[0] - q[0]);
    const first = ordered[0];
    if (first === undefined || first[0] > calibrationEnd) continue;
    let last = first[0];
    let repeats = 0;
    let repeatAmount = 0;
    let holdoutFrequency = 0;
    let holdoutAmount = 0;
    for (let i = 1; i < ordered.length; i++) {
      const [day, amount] = ordered[i] as [number, number];
      if (day <= calibrationEnd) {
        repeats++;
        repeatAmount += amount;
        last = day;
      } else if (holdoutEnd !== undefined && day <= holdoutEnd) {
        holdoutFrequency++;
        holdoutAmount += amount;
      }
    }
    const summary: CustomerSummary = {
      customerId,
      frequency: repeats,
      recency: (last - first[0]) / unit,
      T: (calibrationEnd - first[0]) / unit,
      monetary: repeats > 0 ? repeatAmount / repeats : 0,
    };
    if (holdoutEnd !== undefined) {
      summary.holdoutFrequency = holdoutFrequency;
      summary.holdoutAmount = holdoutAmount;
    }
    summaries.push(summary);
  }
  return summaries;
}
