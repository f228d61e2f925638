import { describe, expect, it } from 'vitest';
import type { ProviderChangePlan, ProviderChangeStatus } from '../../../core/api';
import { chooseProvider, setIngestField, setPostgresField, setVectorField } from '../logic/settingsForm';
import { fakeClient, ok } from '../testing/fakeClient';
import { publicSettings } from '../testing/settings';
import { connectStore } from './connect';
import { createKbStore } from './createKbStore';
import { defaultStrategy, dialogOpen, withProgress, type SettingsApply } from './settingsSlice';

const health = (provider: string, available = true) => ({ provider, available, latencyMs: 4.2, ...(available ? {} : { message: 'connect ECONNREFUSED 127.0.0.1:1' }) });
const where = { relational: 'sqlite', vector: 'embedded', relationalWhere: 'SQLite in the data folder', vectorWhere: 'sqlite-vec in the data folder' };
const plan = (patch: Partial<ProviderChangePlan> = {}): ProviderChangePlan => ({
  changesStores: true,
  from: where,
  to: { ...where, vector: 'chromadb', vectorWhere: 'ChromaDB http://127.0.0.1:8001 collection qckstrt-embeddings' },
  moves: { relational: false, vector: true },
  source: { documents: 2, chunks: 5, vectors: 5, keywordChunks: 5 },
  target: { documents: 0, chunks: 0, vectors: 0, keywordChunks: 0 },
  test: { relational: health('sqlite'), vector: health('chromadb') },
  strategies: ['copy', 'reindex'],
  blockers: [],
  notes: [],
  ...patch,
});
const status = (patch: Partial<ProviderChangeStatus> = {}): ProviderChangeStatus => ({
  strategy: 'copy',
  from: where,
  to: plan().to,
  state: 'running',
  phase: 'copying',
  documentsDone: 1,
  documentsTotal: 2,
  vectorsCopied: 3,
  resumed: 0,
  startedAt: '2026-12-04T19:00:00.000Z',
  ...patch,
});

async function openStore(handlers: Parameters<typeof fakeClient>[0] = {}) {
  const fake = fakeClient({ getSettings: () => ok(publicSettings()), getStatus: () => ok({} as never), listDocuments: () => ok([]), ...handlers });
  const store = createKbStore(fake.client);
  await store.getState().openSettingsDraft();
  return { ...fake, store };
}

describe('pure updates of the settings slice', () => {
  it('applies progress only to a running change and picks the plan’s first strategy', () => {
    const idle: SettingsApply = { step: 'idle' };
    expect(withProgress(idle, status())).toBe(idle);
    const running: SettingsApply = { step: 'running', plan: plan(), patch: {}, strategy: 'copy', progress: null, cancelling: false };
    expect(withProgress(running, status())).toEqual({ ...running, progress: status() });
    expect(defaultStrategy(plan())).toBe('copy');
    expect(defaultStrategy(plan(), 'reindex')).toBe('reindex');
    expect(defaultStrategy(plan({ strategies: [] }))).toBeNull();
    expect(dialogOpen(running)).toBe(true);
    expect(dialogOpen({ step: 'saved' })).toBe(false);
  });
});

describe('the settings slice against a fake core', () => {
  it('tests a side’s connection with the draft’s patch and clears the result when the draft changes', async () => {
    const { store, calls } = await openStore({ testConnection: () => ok({ relational: health('sqlite'), vector: health('chromadb', false) }) });
    store.getState().editSettingsDraft((d) => setVectorField(chooseProvider(d, 'vector', 'chromadb'), 'chromaUrl', 'http://127.0.0.1:1'));
    await store.getState().testProviderConnection('vector');
    expect(calls.find((c) => c.method === 'testConnection')?.input).toEqual({ vector: { provider: 'chromadb', chromaUrl: 'http://127.0.0.1:1' } });
    expect(store.getState().connectionTests.vector).toEqual({ state: 'done', health: health('chromadb', false) });
    store.getState().editSettingsDraft((d) => setVectorField(d, 'chromaCollection', 'other'));
    expect(store.getState().connectionTests).toEqual({});
  });

  it('does not call the core with an invalid draft: the field messages say why', async () => {
    const { store, calls } = await openStore();
    store.getState().editSettingsDraft((d) => setPostgresField(chooseProvider(d, 'relational', 'postgres'), 'port', 'abc'));
    await store.getState().testProviderConnection('relational');
    await store.getState().applySettingsDraft();
    expect(calls.map((c) => c.method)).not.toContain('testConnection');
    expect(calls.map((c) => c.method)).not.toContain('planProviderChange');
    expect(store.getState().draftErrors).toEqual({ 'postgres.port': 'A whole number' });
  });

  it('saves a change that moves no store with updateSettings', async () => {
    const saved = publicSettings((s) => (s.vector.pgvector.efSearch = 200));
    const { store, calls } = await openStore({
      getSettings: () => ok(publicSettings((s) => (s.vector.provider = 'pgvector'))),
      planProviderChange: () => ok(plan({ changesStores: false, strategies: [] })),
      updateSettings: () => ok(saved),
    });
    store.getState().editSettingsDraft((d) => ({ ...d, pgvector: { ...d.pgvector, efSearch: '200' } }));
    await store.getState().applySettingsDraft();
    expect(calls.find((c) => c.method === 'updateSettings')?.input).toEqual({ vector: { pgvector: { efSearch: 200 } } });
    expect(store.getState().settingsApply).toEqual({ step: 'saved' });
    expect(store.getState().draftBase).toEqual(saved);
  });

  it('saves indexing options alone with updateSettings, without planning a provider change', async () => {
    const saved = publicSettings((s) => {
      s.ingest.maxFileSizeMb = 120;
      s.ingest.followExternalLinks = true;
    });
    const { store, calls } = await openStore({ updateSettings: () => ok(saved) });
    store.getState().editSettingsDraft((d) => setIngestField(setIngestField(d, 'maxFileSizeMb', '120'), 'followExternalLinks', true));
    await store.getState().applySettingsDraft();
    expect(calls.map((c) => c.method)).not.toContain('planProviderChange');
    expect(calls.find((c) => c.method === 'updateSettings')?.input).toEqual({ ingest: { maxFileSizeMb: 120, followExternalLinks: true } });
    expect(store.getState().settingsApply).toEqual({ step: 'saved' });
    expect(store.getState().settingsDraft?.ingest).toMatchObject({ maxFileSizeMb: '120', followExternalLinks: true });
  });

  it('refuses an invalid size inline, tests the stores meanwhile, and Discard reverts the indexing fields', async () => {
    const { store, calls } = await openStore({ testConnection: () => ok({ relational: health('sqlite'), vector: health('embedded') }) });
    store.getState().editSettingsDraft((d) => setIngestField(setIngestField(d, 'maxFileSizeMb', '0'), 'followExternalLinks', true));
    await store.getState().applySettingsDraft();
    expect(calls.map((c) => c.method)).not.toContain('updateSettings');
    expect(store.getState().draftErrors).toEqual({ 'ingest.maxFileSizeMb': 'At least 1' });
    // A connection test sends the stores alone: the half-typed size does not stop it.
    await store.getState().testProviderConnection('relational');
    expect(calls.find((c) => c.method === 'testConnection')?.input).toEqual({});
    await store.getState().openSettingsDraft({ discard: true });
    expect(store.getState().settingsDraft?.ingest).toEqual({ maxFileSizeMb: '50', followExternalLinks: false, exclude: '**/.*\n**/node_modules\n**/__pycache__' });
    expect(store.getState().draftErrors).toEqual({});
  });

  it('a change that moves a store and an indexing option goes through the plan with the whole patch', async () => {
    const { store, calls } = await openStore({ planProviderChange: () => ok(plan()) });
    store.getState().editSettingsDraft((d) => setIngestField(chooseProvider(d, 'vector', 'chromadb'), 'maxFileSizeMb', '80'));
    await store.getState().applySettingsDraft();
    expect(calls.find((c) => c.method === 'planProviderChange')?.input).toEqual({ vector: { provider: 'chromadb' }, ingest: { maxFileSizeMb: 80 } });
    expect(store.getState().settingsApply).toMatchObject({ step: 'plan', patch: { ingest: { maxFileSizeMb: 80 } } });
  });

  it('opens Settings with a field to focus, which the page takes once', () => {
    const store = createKbStore(fakeClient().client);
    store.getState().openSettings('ingest.maxFileSizeMb');
    expect([store.getState().view, store.getState().settingsFocus]).toEqual(['settings', 'ingest.maxFileSizeMb']);
    store.getState().clearSettingsFocus();
    expect(store.getState().settingsFocus).toBeNull();
    store.getState().openSettings();
    expect([store.getState().view, store.getState().settingsFocus]).toEqual(['settings', null]);
  });

  it('shows the plan for a move, applies it with progress, then follows the new settings', async () => {
    const moved = publicSettings((s) => (s.vector.provider = 'chromadb'));
    let finish: (v: ReturnType<typeof ok<ProviderChangeStatus>>) => void = () => {};
    const fake = await openStore({
      planProviderChange: () => ok(plan()),
      applyProviderChange: () => new Promise((resolve) => (finish = resolve)),
    });
    const { store, calls, emit, client } = fake;
    const disconnect = connectStore(client, store);
    store.getState().editSettingsDraft((d) => chooseProvider(d, 'vector', 'chromadb'));
    await store.getState().applySettingsDraft();
    expect(store.getState().settingsApply).toMatchObject({ step: 'plan', strategy: 'copy' });
    store.getState().chooseStrategy('reindex');
    store.getState().chooseStrategy('copy');
    const applying = store.getState().confirmProviderChange();
    expect(store.getState().settingsApply.step).toBe('running');
    emit('providerChangeProgress', status());
    expect(store.getState().settingsApply).toMatchObject({ step: 'running', progress: { documentsDone: 1, vectorsCopied: 3 } });
    // Escape does not close the dialog while the change runs.
    store.getState().closeProviderChange();
    expect(store.getState().settingsApply.step).toBe('running');
    fake.handlers.getSettings = () => ok(moved);
    finish(ok(status({ state: 'done', phase: 'finished', documentsDone: 2, message: 'counts match' })));
    await applying;
    expect(calls.find((c) => c.method === 'applyProviderChange')?.input).toEqual({ patch: { vector: { provider: 'chromadb' } }, strategy: 'copy' });
    expect(store.getState().settingsApply).toMatchObject({ step: 'done', status: { message: 'counts match' } });
    expect(store.getState().draftBase).toEqual(moved);
    expect(store.getState().settingsDraft?.vectorProvider).toBe('chromadb');
    store.getState().closeProviderChange();
    expect(store.getState().settingsApply).toEqual({ step: 'idle' });
    disconnect();
  });

  it('cancels a running change; the failure keeps the reason and the old settings', async () => {
    let reject: (v: { ok: false; error: { kind: 'Cancelled'; message: string } }) => void = () => {};
    const { store, calls } = await openStore({
      planProviderChange: () => ok(plan()),
      applyProviderChange: () => new Promise((resolve) => (reject = resolve)),
      cancelProviderChange: () => {
        reject({ ok: false, error: { kind: 'Cancelled', message: 'The provider change was cancelled.' } });
        return ok({ cancelled: true });
      },
    });
    store.getState().editSettingsDraft((d) => chooseProvider(d, 'vector', 'chromadb'));
    await store.getState().applySettingsDraft();
    const applying = store.getState().confirmProviderChange();
    await store.getState().cancelRunningProviderChange();
    await applying;
    expect(calls.map((c) => c.method)).toContain('cancelProviderChange');
    expect(store.getState().settingsApply).toMatchObject({ step: 'failed', error: { kind: 'Cancelled' } });
    // The draft still holds the change, so it can be tried again.
    expect(store.getState().settingsDraft?.vectorProvider).toBe('chromadb');
    expect(store.getState().draftBase?.vector.provider).toBe('embedded');
  });

  it('shows a plan that cannot be made as an error, and keeps an edited draft when the screen reopens', async () => {
    const { store } = await openStore({ planProviderChange: () => ({ ok: false, error: { kind: 'ProviderUnavailable', message: 'ChromaDB did not answer' } }) });
    store.getState().editSettingsDraft((d) => chooseProvider(d, 'vector', 'chromadb'));
    await store.getState().applySettingsDraft();
    expect(store.getState().settingsApply).toEqual({ step: 'error', error: { kind: 'ProviderUnavailable', message: 'ChromaDB did not answer' } });
    await store.getState().openSettingsDraft();
    expect(store.getState().settingsDraft?.vectorProvider).toBe('chromadb');
    await store.getState().openSettingsDraft({ discard: true });
    expect(store.getState().settingsDraft?.vectorProvider).toBe('embedded');
  });
});
