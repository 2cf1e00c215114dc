/**
 * Compact JSON form of a linear classifier. A text model has tens of thousands of features
 * times dozens of classes; as a JSON array of numbers that is tens of megabytes and a slow
 * parse. Each feature's row of class weights is quantised to signed bytes with its own scale
 * (max |w| / 127; the rounding error per weight is at most scale / 2, far below what moves an
 * argmax over hundreds of summed terms) and the bytes travel as base64, so a model loads in
 * milliseconds.
 */
import type { LinearClassifier } from './linear-classifier.js';

export interface PackedLinearClassifier {
  numClasses: number;
  numFeatures: number;
  /** base64 of numFeatures × numClasses signed bytes, feature-major. */
  weights: string;
  /** Per-feature dequantisation scale. */
  scales: number[];
  bias: number[];
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk: number[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    const c = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0;
    chunk.push(
      ALPHABET.charCodeAt(a >> 2),
      ALPHABET.charCodeAt(((a & 3) << 4) | (b >> 4)),
      i + 1 < bytes.length ? ALPHABET.charCodeAt(((b & 15) << 2) | (c >> 6)) : 61,
      i + 2 < bytes.length ? ALPHABET.charCodeAt(c & 63) : 61,
    );
    if (chunk.length >= 8192) parts.push(String.fromCharCode(...chunk.splice(0)));
  }
  parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

export function decodeBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  for (let i = 0; i < end; i += 4) {
    const a = LOOKUP[text.charCodeAt(i)] as number;
    const b = LOOKUP[text.charCodeAt(i + 1)] as number;
    const c = i + 2 < end ? (LOOKUP[text.charCodeAt(i + 2)] as number) : 0;
    const d = i + 3 < end ? (LOOKUP[text.charCodeAt(i + 3)] as number) : 0;
    if (a < 0 || b < 0 || c < 0 || d < 0) throw new Error('decodeBase64: not base64');
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (triple >> 16) & 255;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}

export function packLinearClassifier(model: LinearClassifier): PackedLinearClassifier {
  const { numClasses: K, numFeatures: D } = model;
  const bytes = new Int8Array(D * K);
  const scales: number[] = new Array<number>(D);
  for (let j = 0; j < D; j++) {
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(model.weights[j * K + k] as number));
    const scale = Number((max / 127).toPrecision(6));
    scales[j] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < K; k++) bytes[j * K + k] = Math.max(-127, Math.min(127, Math.round((model.weights[j * K + k] as number) / scale)));
  }
  return {
    numClasses: K,
    numFeatures: D,
    weights: encodeBase64(new Uint8Array(bytes.buffer)),
    scales,
    bias: Array.from(model.bias, (b) => Number(b.toPrecision(7))),
  };
}

export function unpackLinearClassifier(packed: PackedLinearClassifier): LinearClassifier {
  const { numClasses: K, numFeatures: D } = packed;
  const bytes = new Int8Array(decodeBase64(packed.weights).buffer);
  if (bytes.length !== D * K) throw new Error(`unpackLinearClassifier: expected ${D * K} weights, got ${bytes.length}`);
  const weights = new Float32Array(D * K);
  for (let j = 0; j < D; j++) {
    const scale = packed.scales[j] as number;
    for (let k = 0; k < K; k++) weights[j * K + k] = (bytes[j * K + k] as number) * scale;
  }
  return { numClasses: K, numFeatures: D, weights, bias: Float32Array.from(packed.bias) };
}
