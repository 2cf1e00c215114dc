/**
 * Elasticities for a whole catalogue in one call: one estimate per product (log-log OLS) and
 * one per category (products pooled with a product fixed effect), each with its own
 * minimum-data guard and explanation — what the insights module stores and the admin shows.
 */
import { estimatePooledElasticity, estimatePriceElasticity, type ElasticityEstimate, type ElasticityOptions, type PriceObservation } from './price-elasticity.js';

export interface ProductPriceHistory {
  productId: string;
  category: string;
  observations: readonly PriceObservation[];
}

export interface CatalogElasticities {
  byProduct: Record<string, ElasticityEstimate>;
  byCategory: Record<string, ElasticityEstimate>;
}

export function estimateCatalogElasticities(products: readonly ProductPriceHistory[], options: ElasticityOptions = {}): CatalogElasticities {
  const byProduct: Record<string, ElasticityEstimate> = {};
  const groups = new Map<string, (readonly PriceObservation[])[]>();
  for (const p of products) {
    byProduct[p.productId] = estimatePriceElasticity(p.observations, options);
    const group = groups.get(p.category);
    if (group) group.push(p.observations);
    else groups.set(p.category, [p.observations]);
  }
  const byCategory: Record<string, ElasticityEstimate> = {};
  for (const [category, histories] of groups) byCategory[category] = estimatePooledElasticity(histories, options);
  return { byProduct, byCategory };
}
