/**
 * The interface every provider's collector implements (AWS, GCP and Azure; Kubernetes joins
 * behind it). A collector plans scan units (accounts, projects, subscriptions, clusters) and
 * collects one unit at a time; the runtime it is given bounds concurrency, times calls and keeps
 * the budget, and every failure it meets becomes an inventory `errors` entry rather than an
 * exception. Units are plain JSON, so that the deployed workflow can plan in one function and
 * collect each unit in another.
 */
import type { CollectionError, Provider, Scope } from '../../checks/types.ts';
import type { AwsClientFactory, AwsClientOptions } from './aws/clients.ts';
import type { AzureClientFactory } from './azure/clients.ts';
import type { GcpClientFactory } from './gcp/clients.ts';
import type { ClusterAuthDeps } from './kubernetes/auth.ts';
import type { Collected, CollectRuntime } from './runtime.ts';
import type { ReadSecret } from './secrets.ts';

/** One unit of collection work, as plain JSON. */
export interface ScanUnit {
  readonly provider: Provider;
}

/** The units a collector plans, and what planning could not read. */
export interface Plan<U extends ScanUnit> {
  units: U[];
  errors: CollectionError[];
}

/**
 * One provider's collector. Clients are injected when it is made, so tests point it anywhere.
 *
 * @example
 * const aws = awsCollector(config.aws, awsClientFactory(config.aws, settings), 60_000);
 * const { units } = await aws.plan(rt);
 * const shard = await aws.collect(rt, units[0]);
 */
export interface Collector<U extends ScanUnit = ScanUnit> {
  readonly provider: Provider;
  /** Expands the configured targets into units; never throws (failures are `errors`). */
  plan(rt: CollectRuntime): Promise<Plan<U>>;
  /** Reads one unit; never throws (failures are `errors`). */
  collect(rt: CollectRuntime, unit: U): Promise<Collected>;
  /** How progress names a unit (`aws 111122223333`). */
  label(unit: U): string;
  /** Every resource type the collector reads: what a unit that fails outright leaves unknown. */
  readonly types: readonly string[];
  /** The scope a unit covers (`{ account }`), for an error when it fails outright. */
  scope(unit: U): Scope;
}

/** Clients to collect with instead of those made from the config (tests, tracing). */
export interface CollectorClients {
  aws?: AwsClientFactory;
  gcp?: GcpClientFactory;
  azure?: AzureClientFactory;
  /** Options of the AWS clients made from the config (e.g. a tracing decorator). */
  awsOptions?: AwsClientOptions;
  /**
   * What the Kubernetes collector makes cluster tokens with, instead of the clients made from the
   * config (tests: Google and Azure credentials pointing at local servers, a frozen clock).
   */
  kubernetes?: Partial<ClusterAuthDeps>;
  /** Reads credentials stored in Secrets Manager; default: none (a secret ARN is an error). */
  readSecret?: ReadSecret;
}
