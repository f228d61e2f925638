/**
 * How `kb settings set` and `kb settings profile` apply a patch. One that moves a store is never
 * just saved: the service plans it (counts on both sides, connection tests, ways to apply it,
 * blockers), the plan is shown and confirmed, then applied with a progress line.
 */
import { KbError } from '../api/errors';
import { PROVIDER_CHANGE_STRATEGIES, type ProviderChangePlan, type ProviderChangeStatus, type ProviderChangeStrategy, type StoreCounts } from '../api/providerChange';
import type { PublicSettings, SettingsPatch } from '../api/settings';
import type { KbServiceImpl } from '../service';
import type { Io } from './commands';
import { EXIT } from './exitCodes';
import { formatHealth } from './statusReport';

export interface ChangeIo extends Io {
  /** Asks the person at the terminal; absent when stdin is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface ChangeOptions {
  json: boolean;
  /** Apply without asking. */
  yes: boolean;
  /** How to move the library; the plan's first (best) way by default. */
  strategy?: string;
}

export type ChangeOutcome =
  | { kind: 'saved'; settings: PublicSettings }
  | { kind: 'applied'; plan: ProviderChangePlan; status: ProviderChangeStatus }
  | { kind: 'not-applied'; plan: ProviderChangePlan; reason: string; code: number };

/** Whether the patch touches the store groups at all (others never need a plan). */
const touchesStores = (patch: SettingsPatch) => patch.relational !== undefined || patch.vector !== undefined;

const counts = (c: StoreCounts | null) =>
  c ? `${c.documents} documents, ${c.chunks} chunks, ${c.vectors} vectors, ${c.keywordChunks} keyword entries` : 'not reachable';

/** The plan as a person reads it before saying yes. */
export function formatPlan(plan: ProviderChangePlan, strategy?: ProviderChangeStrategy): string[] {
  const side = (name: 'relational' | 'vector') => {
    const whereKey = name === 'relational' ? 'relationalWhere' : 'vectorWhere';
    const label = name.padEnd(10);
    return plan.moves[name]
      ? `  ${label} ${plan.from[name]} (${plan.from[whereKey]}) → ${plan.to[name]} (${plan.to[whereKey]})`
      : `  ${label} ${plan.from[name]} (${plan.from[whereKey]}), unchanged`;
  };
  const lines = ['Provider change:', side('relational'), side('vector')];
  lines.push(`  now        ${counts(plan.source)}`);
  lines.push(`  new stores ${counts(plan.target)}`);
  lines.push(`  test       relational ${formatHealth(plan.test.relational)}`);
  lines.push(`             vector     ${formatHealth(plan.test.vector)}`);
  if (plan.resumable) lines.push(`  resumable  ${plan.resumable.documentsDone} documents were copied by an interrupted copy`);
  if (plan.strategies.length) {
    lines.push(`  ways       ${plan.strategies.map((s) => (s === strategy ? `${s} (chosen)` : s)).join(', ')}`);
  }
  for (const b of plan.blockers) lines.push(`  blocked:   ${b}`);
  for (const n of plan.notes) lines.push(`  note:      ${n}`);
  return lines;
}

/** A misspelt --strategy is refused before anything is planned (no server is contacted). */
function checkStrategyName(wanted: string | undefined): void {
  if (wanted !== undefined && !(PROVIDER_CHANGE_STRATEGIES as readonly string[]).includes(wanted)) {
    throw new KbError('ValidationError', `--strategy takes ${PROVIDER_CHANGE_STRATEGIES.join(', ')}; got "${wanted}".`);
  }
}

function chooseStrategy(plan: ProviderChangePlan, wanted: string | undefined): ProviderChangeStrategy {
  if (wanted === undefined) return plan.strategies[0] as ProviderChangeStrategy;
  if (!(plan.strategies as string[]).includes(wanted)) {
    throw new KbError('ValidationError', `--strategy ${wanted} is not possible for this change; it can be applied with: ${plan.strategies.join(', ')}.`);
  }
  return wanted as ProviderChangeStrategy;
}

/** A status line for the progress events of a running change. */
export function formatChangeProgress(s: ProviderChangeStatus): string {
  const docs = s.documentsTotal ? ` ${s.documentsDone}/${s.documentsTotal} documents` : '';
  const vectors = s.vectorsCopied ? ` · ${s.vectorsCopied} vectors copied` : '';
  const resumed = s.resumed ? ` · ${s.resumed} already copied` : '';
  return `${s.strategy}: ${s.phase}${docs}${vectors}${resumed}`;
}

/** Saves the patch, or plans, confirms and applies it when it moves a store. */
export async function changeSettings(service: KbServiceImpl, patch: SettingsPatch, opts: ChangeOptions, io: ChangeIo): Promise<ChangeOutcome> {
  if (!touchesStores(patch)) return { kind: 'saved', settings: await service.updateSettings(patch) };
  checkStrategyName(opts.strategy);
  const plan = await service.planProviderChange(patch);
  if (!plan.changesStores) return { kind: 'saved', settings: await service.updateSettings(patch) };

  if (!plan.strategies.length) {
    if (!opts.json) for (const line of formatPlan(plan)) io.out(line);
    const unreachable = !plan.test.relational.available || !plan.test.vector.available;
    return { kind: 'not-applied', plan, reason: `Not applied: ${plan.blockers.join(' ') || 'no way to apply this change now.'}`, code: unreachable ? EXIT.unavailable : EXIT.invalid };
  }
  const strategy = chooseStrategy(plan, opts.strategy);
  if (!opts.json) for (const line of formatPlan(plan, strategy)) io.out(line);
  if (!opts.yes) {
    if (!io.confirm) {
      return {
        kind: 'not-applied',
        plan,
        reason: 'Not applied: this moves the library to other stores, and stdin is not a terminal to confirm it on. Review the plan above, then run the same command with --yes.',
        code: EXIT.usage,
      };
    }
    if (!(await io.confirm(`Apply this change (${strategy})?`))) return { kind: 'not-applied', plan, reason: 'Not applied: nothing changed.', code: EXIT.ok };
  }
  const off = service.on('providerChangeProgress', (s) => io.progress?.(formatChangeProgress(s)));
  try {
    const status = await service.applyProviderChange({ patch, strategy });
    return { kind: 'applied', plan, status };
  } finally {
    off();
    io.progress?.('');
  }
}

/** Prints what a change did (or why not) and gives the exit code. */
export function reportChange(outcome: ChangeOutcome, opts: { json: boolean }, io: Io, saved: (s: PublicSettings) => string[]): number {
  if (outcome.kind === 'saved') {
    if (opts.json) io.out(JSON.stringify({ saved: true, settings: outcome.settings }, null, 2));
    else for (const line of saved(outcome.settings)) io.out(line);
    return EXIT.ok;
  }
  if (outcome.kind === 'not-applied') {
    if (opts.json) io.out(JSON.stringify({ applied: false, reason: outcome.reason, plan: outcome.plan }, null, 2));
    else io.err(outcome.reason);
    return outcome.code;
  }
  const { status } = outcome;
  if (opts.json) io.out(JSON.stringify({ applied: true, plan: outcome.plan, status }, null, 2));
  else {
    io.out(`Done (${status.strategy}): qckstrt now uses ${status.to.relationalWhere} and ${status.to.vectorWhere}.`);
    if (status.message) io.out(status.message);
  }
  return EXIT.ok;
}
