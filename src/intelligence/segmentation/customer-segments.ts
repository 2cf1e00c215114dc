/**
 * Customer segments: k-means on log-transformed, standardised recency, frequency and
 * monetary value, with k chosen by the mean silhouette (Rousseeuw 1987, §4: pick the k with
 * the largest average silhouette width). Each cluster is named with the RFM rule applied to
 * its members' median scores, so a merchant reads "at risk", not "cluster 3".
 *
 * The log is there because order counts and spend are heavily right-skewed: without it a
 * handful of wholesale buyers take their own clusters and the silhouette rewards that.
 */
import { fitKMeans, assignCluster, type KMeansModel } from './kmeans.js';
import { silhouetteScore } from './silhouette.js';
import { fitRfm, scoreRfm, recencyDays, quantileSorted, type CustomerSummary, type RfmModel } from './rfm.js';
import { explainSegment, segmentFor, type SegmentName } from './segment-names.js';

export interface SegmentationOptions {
  /** Candidate k values (default 2…8). */
  kRange?: readonly number[];
  seed?: number;
  restarts?: number;
  /** Silhouette is exact up to this many customers, on a seeded sample above (default 5,000). */
  silhouetteMaxExact?: number;
}

export interface ClusterProfile {
  cluster: number;
  size: number;
  /** RFM-grid name from the median R, F and M scores of the members. */
  name: SegmentName;
  medianRecencyDays: number;
  medianOrders: number;
  medianRevenue: number;
  medianScores: { recency: number; frequency: number; monetary: number };
}

export interface SegmentationModel {
  rfm: RfmModel;
  /** Standardisation of [log1p recency days, log1p orders, log1p revenue]. */
  featureMeans: number[];
  featureScales: number[];
  kmeans: KMeansModel;
  /** Mean silhouette for each k tried, and whether it was exact or sampled. */
  silhouetteByK: { k: number; silhouette: number; exact: boolean }[];
  profiles: ClusterProfile[];
}

export interface CustomerSegment {
  customerId: string;
  cluster: number;
  clusterName: SegmentName;
  /** The customer's own RFM-grid segment; may differ from the cluster's name at the edges. */
  rfmSegment: SegmentName;
  /** Why, in the merchant's words: the customer's scores and the grid cell they fall in. */
  reason: string;
}

function rawFeatures(c: CustomerSummary, referenceDate: number): number[] {
  return [Math.log1p(recencyDays(c, referenceDate)), Math.log1p(c.orders), Math.log1p(Math.max(0, c.revenue))];
}

function standardise(x: readonly number[], means: readonly number[], scales: readonly number[]): number[] {
  return x.map((v, j) => (v - means[j]!) / scales[j]!);
}

function median(values: number[]): number {
  return quantileSorted(values.slice().sort((a, b) => a - b), 0.5);
}

export function fitCustomerSegments(customers: readonly CustomerSummary[], referenceDate: number, options: SegmentationOptions = {}): SegmentationModel {
  const kRange = (options.kRange ?? [2, 3, 4, 5, 6, 7, 8]).filter((k) => k >= 2 && k <= customers.length);
  if (kRange.length === 0) throw new RangeError('fitCustomerSegments: no usable k for this many customers');
  const rfm = fitRfm(customers, referenceDate);
  const raw = customers.map((c) => rawFeatures(c, referenceDate));
  const means = [0, 1, 2].map((j) => raw.reduce((s, x) => s + x[j]!, 0) / raw.length);
  const scales = [0, 1, 2].map((j) => Math.sqrt(raw.reduce((s, x) => s + (x[j]! - means[j]!) ** 2, 0) / raw.length) || 1);
  const points = raw.map((x) => standardise(x, means, scales));

  const seed = options.seed ?? 1;
  let best: { k: number; silhouette: number; result: ReturnType<typeof fitKMeans> } | undefined;
  const silhouetteByK: SegmentationModel['silhouetteByK'] = [];
  for (const k of kRange) {
    const result = fitKMeans(points, k, { seed: seed + k, restarts: options.restarts ?? 4 });
    const s = silhouetteScore(points, result.assignments, { maxExact: options.silhouetteMaxExact ?? 5000, seed });
    silhouetteByK.push({ k, silhouette: s.mean, exact: s.exact });
    if (best === undefined || s.mean > best.silhouette) best = { k, silhouette: s.mean, result };
  }
  const { result } = best!;
  const scores = customers.map((c) => scoreRfm(rfm, c));
  const profiles: ClusterProfile[] = [];
  for (let cluster = 0; cluster < result.k; cluster++) {
    const members = scores.filter((_, i) => result.assignments[i] === cluster);
    if (members.length === 0) continue;
    const medianScores = {
      recency: median(members.map((m) => m.recency)),
      frequency: median(members.map((m) => m.frequency)),
      monetary: median(members.map((m) => m.monetary)),
    };
    profiles.push({
      cluster,
      size: members.length,
      name: segmentFor(medianScores.recency, medianScores.frequency, medianScores.monetary),
      medianRecencyDays: median(members.map((m) => m.recencyDays)),
      medianOrders: median(members.map((m) => m.orders)),
      medianRevenue: median(members.map((m) => m.revenue)),
      medianScores,
    });
  }
  const { assignments: _assignments, ...kmeans } = result;
  return { rfm, featureMeans: means, featureScales: scales, kmeans, silhouetteByK, profiles };
}

export function assignSegment(model: SegmentationModel, customer: CustomerSummary): CustomerSegment {
  const point = standardise(rawFeatures(customer, model.rfm.referenceDate), model.featureMeans, model.featureScales);
  const cluster = assignCluster(model.kmeans, point);
  const profile = model.profiles.find((p) => p.cluster === cluster);
  const explained = explainSegment(scoreRfm(model.rfm, customer));
  const clusterName = profile?.name ?? explained.segment;
  const clusterNote = profile
    ? `; k-means puts them with ${profile.size} customers whose median is ${Math.round(profile.medianRecencyDays)} days since the last order, ${profile.medianOrders} orders and ${profile.medianRevenue.toFixed(2)} spent ("${clusterName}")`
    : '';
  return { customerId: customer.customerId, cluster, clusterName, rfmSegment: explained.segment, reason: explained.reason + clusterNote };
}
