import { Args, Resolver, Root, Subscription } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import {
  BudgetAlertEvent,
  LoadProgressArgs,
  LoadProgressEvent,
  ReferralChangedEvent,
  ReportReadyEvent,
  SyncProgressArgs,
  SyncProgressEvent,
} from '../../schema/live/events';
import type { RequestContext } from '../common/context';
import { rethrowAsGraphQL } from '../common/errors';
import { budgetAlerts, loadProgress, referralChanges, reportsReady, syncProgress } from './sources';

/**
 * The live subscriptions: served over graphql-ws at /graphql (gateway/live-socket.ts), executed
 * against this subgraph's own schema in the process that owns the warehouse, where every change is
 * made. Each needs the roles of the query its data comes from (@Requires, checked when the
 * subscription starts: a caller without them gets FORBIDDEN and no events).
 */
@Resolver()
export class LiveResolver {
  @Requires('readReferrals')
  @Subscription(() => ReferralChangedEvent, {
    description: 'Referrals new to the inbox (loaded or synced) and referral status changes, of the caller’s partner (a location-scoped caller: its locations’ referrals)',
    subscribe: live(({ context }) => referralChanges(root(context), context.caller)),
  })
  referralChanged(@Root() event: ReferralChangedEvent): ReferralChangedEvent {
    return event;
  }

  @Requires('loadData')
  @Subscription(() => LoadProgressEvent, {
    description: 'Progress of the load jobs of the caller’s partner (or of one job), from QUEUED to FINISHED',
    subscribe: live(({ context, args }) => loadProgress(root(context), context.caller, (args as LoadProgressArgs).jobId ?? null)),
  })
  loadProgress(@Root() event: LoadProgressEvent, @Args(() => LoadProgressArgs) _args: LoadProgressArgs): LoadProgressEvent {
    return event;
  }

  @Requires('loadData')
  @Subscription(() => SyncProgressEvent, {
    description: 'Progress of the Partner Center syncs of the caller’s partner (or of one sync): each phase, each unit, and the end',
    subscribe: live(({ context, args }) => syncProgress(root(context), context.caller, (args as SyncProgressArgs).syncId ?? null)),
  })
  syncProgress(@Root() event: SyncProgressEvent, @Args(() => SyncProgressArgs) _args: SyncProgressArgs): SyncProgressEvent {
    return event;
  }

  @Subscription(() => ReportReadyEvent, {
    description: 'Generated reports (generateReport) of the caller’s partner that became READY or FAILED, those the caller could list with generatedReports',
    subscribe: live(({ context }) => reportsReady(root(context), context.caller)),
  })
  reportReady(@Root() event: ReportReadyEvent): ReportReadyEvent {
    return event;
  }

  // As the budgetAlerts query (billing subgraph).
  @Requires('manageBudgets')
  @Subscription(() => BudgetAlertEvent, {
    description: 'A customer’s spending crossed 80 % or 100 % of its monthly budget (a location-scoped caller: its locations’ customers)',
    subscribe: live(({ context }) => budgetAlerts(root(context), context.caller)),
  })
  budgetAlert(@Root() event: BudgetAlertEvent): BudgetAlertEvent {
    return event;
  }
}

/**
 * A subscribe function whose domain errors (FORBIDDEN, INVALID_STATE) become GraphQL errors with
 * their code: type-graphql's middlewares wrap resolve, not subscribe.
 */
function live<T>(subscribe: (data: { context: RequestContext; args: unknown }) => AsyncIterableIterator<T>) {
  return (data: { context: RequestContext; args: unknown }): AsyncIterableIterator<T> => {
    try {
      return subscribe(data);
    } catch (error) {
      rethrowAsGraphQL(error);
    }
  };
}

/** The warehouse the process's queues and buses are keyed by (a request's bound handle shares its root). */
function root(context: RequestContext) {
  return context.warehouse.root;
}
