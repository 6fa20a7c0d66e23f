import type { Caller } from '../../core/caller';
import { DIMENSIONS } from '../insights/facts';
import { isLineLevel, type Dataset } from './dataset';
import { DATASETS, assertCanExport, rolesAllowedToExport } from './index';
import { FILTER_PARAMS, INSTANT_SYNTAX, rangeAliases } from './request';
import { EXPORT_FORMATS, type ExportFormat } from './types';

/**
 * The catalogue of exports (GET /exports): every dataset with its columns (the contract a BI model
 * is built on), timeframe, filters, formats, the permissions and roles it needs, and whether this
 * caller may export it. Every dataset is listed, the forbidden ones too: names and columns are the
 * documented contract, not data, and `requiredRoles` tells a caller which role would give access
 * (as the GraphQL `reportTypes` does with `canGenerate`).
 */
export interface ExportCatalogue {
  formats: readonly ExportFormat[];
  /** The query parameters an export takes (which of them a dataset takes: its own entry). */
  parameters: Record<string, string>;
  datasets: CatalogueEntry[];
}

export interface CatalogueEntry {
  name: string;
  title: string;
  description: string;
  /** The URL of the dataset, `{format}` one of `formats`. */
  url: string;
  formats: readonly ExportFormat[];
  timeframe:
    | { kind: 'snapshot' }
    | { kind: 'monthly'; ranges: string[]; defaultRange: '12m'; fromTo: boolean };
  filters: string[];
  /** Dimensions `splitBy` takes (Insights datasets), else empty. */
  splitBy: string[];
  contains: readonly string[];
  permissions: readonly string[];
  /** The roles any one of which may export it. */
  requiredRoles: string[];
  /** Whether this caller may export it (their roles hold every permission it needs). */
  canExport: boolean;
  columns: { name: string; type: string; description: string }[];
}

export function exportCatalogue(caller: Caller): ExportCatalogue {
  return {
    formats: EXPORT_FORMATS,
    parameters: {
      range: 'timeframe of a monthly dataset: 3m, 6m, 12m (default) or lifetime; YYYY-MM..YYYY-MM where `ranges` lists it',
      from: `line-level datasets (timeframe.fromTo): the first instant included, ${INSTANT_SYNTAX}`,
      to: 'line-level datasets: the first instant left out (exclusive), same forms as from',
      splitBy: 'Insights datasets: one of the dataset\'s splitBy dimensions',
      ...Object.fromEntries(FILTER_PARAMS.map((name) => [name, 'comma-separated values, where the dataset lists the filter'])),
    },
    datasets: DATASETS.map((dataset) => entry(dataset, caller)),
  };
}

function entry(dataset: Dataset, caller: Caller): CatalogueEntry {
  const { timeframe } = dataset;
  return {
    name: dataset.name,
    title: dataset.title,
    description: dataset.description,
    url: `/exports/${encodeURIComponent(dataset.name)}.{format}`,
    formats: EXPORT_FORMATS,
    timeframe:
      timeframe.kind === 'none'
        ? { kind: 'snapshot' }
        : { kind: 'monthly', ranges: rangeAliases(timeframe.ranges).split(', '), defaultRange: '12m', fromTo: isLineLevel(dataset) },
    filters: Object.keys(dataset.filters),
    splitBy: dataset.splittable ? [...(dataset.dimensions ?? DIMENSIONS)] : [],
    contains: dataset.contains,
    permissions: dataset.permissions,
    requiredRoles: rolesAllowedToExport(dataset),
    canExport: mayExport(caller, dataset),
    columns: dataset.columns.map(({ name, type, description }) => ({ name, type, description })),
  };
}

function mayExport(caller: Caller, dataset: Dataset): boolean {
  try {
    assertCanExport(caller, dataset);
    return true;
  } catch {
    return false;
  }
}
