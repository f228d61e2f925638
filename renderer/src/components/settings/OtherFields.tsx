import { setAuroraField, setPgvectorField, setVectorField, type AuroraDraft, type FieldErrors, type PgvectorDraft } from '../../logic/settingsForm';
import { useKb } from '../../store';
import { TextField } from './fields';

export function AuroraFields({ errors }: { errors: FieldErrors }) {
  const a = useKb((s) => s.settingsDraft?.aurora);
  const edit = useKb((s) => s.editSettingsDraft);
  if (!a) return null;
  const set = (key: keyof AuroraDraft) => (value: string) => edit((d) => setAuroraField(d, key, value));
  return (
    <fieldset className="settings-group" data-testid="aurora-fields">
      <legend>Aurora Data API</legend>
      <p className="settings-hint">AWS credentials come from the usual places: the environment, a profile or the instance’s role.</p>
      <div className="settings-grid settings-grid-wide">
        <TextField field="aurora.resourceArn" label="Cluster (resource) ARN" value={a.resourceArn} onChange={set('resourceArn')} error={errors['aurora.resourceArn']} placeholder="arn:aws:rds:us-east-1:123456789012:cluster:my-cluster" />
        <TextField field="aurora.secretArn" label="Secret ARN" value={a.secretArn} onChange={set('secretArn')} error={errors['aurora.secretArn']} placeholder="arn:aws:secretsmanager:us-east-1:123456789012:secret:…" />
      </div>
      <div className="settings-grid">
        <TextField field="aurora.database" label="Database" value={a.database} onChange={set('database')} error={errors['aurora.database']} />
        <TextField field="aurora.region" label="Region" value={a.region} onChange={set('region')} error={errors['aurora.region']} />
        <TextField field="aurora.endpoint" label="Endpoint (optional)" value={a.endpoint} onChange={set('endpoint')} error={errors['aurora.endpoint']} hint="Empty: AWS’s own Data API endpoint." />
      </div>
    </fieldset>
  );
}

export function ChromaFields({ errors }: { errors: FieldErrors }) {
  const url = useKb((s) => s.settingsDraft?.chromaUrl ?? '');
  const collection = useKb((s) => s.settingsDraft?.chromaCollection ?? '');
  const timeout = useKb((s) => s.settingsDraft?.chromaTimeoutMs ?? '');
  const edit = useKb((s) => s.editSettingsDraft);
  return (
    <fieldset className="settings-group" data-testid="chroma-fields">
      <legend>ChromaDB server</legend>
      <div className="settings-grid">
        <TextField field="vector.chromaUrl" label="Chroma URL" value={url} onChange={(v) => edit((d) => setVectorField(d, 'chromaUrl', v))} error={errors['vector.chromaUrl']} placeholder="http://localhost:8001" />
        <TextField field="vector.chromaCollection" label="Collection" value={collection} onChange={(v) => edit((d) => setVectorField(d, 'chromaCollection', v))} error={errors['vector.chromaCollection']} />
        <TextField field="vector.timeoutMs" label="Timeout (ms)" numeric value={timeout} onChange={(v) => edit((d) => setVectorField(d, 'chromaTimeoutMs', v))} error={errors['vector.timeoutMs']} hint="Longest wait for one call to the server." />
      </div>
    </fieldset>
  );
}

export function PgvectorFields({ errors }: { errors: FieldErrors }) {
  const pv = useKb((s) => s.settingsDraft?.pgvector);
  const edit = useKb((s) => s.editSettingsDraft);
  if (!pv) return null;
  const set = (key: keyof PgvectorDraft) => (value: string) => edit((d) => setPgvectorField(d, key, value));
  return (
    <fieldset className="settings-group" data-testid="pgvector-fields">
      <legend>pgvector HNSW index</legend>
      <div className="settings-grid settings-grid-small">
        <TextField field="pgvector.hnswM" label="m" numeric value={pv.hnswM} onChange={set('hnswM')} error={errors['pgvector.hnswM']} hint="Links per node (2–100); more is better recall, a bigger index." />
        <TextField field="pgvector.hnswEfConstruction" label="ef_construction" numeric value={pv.hnswEfConstruction} onChange={set('hnswEfConstruction')} error={errors['pgvector.hnswEfConstruction']} hint="Candidates while building (4–1000)." />
        <TextField field="pgvector.efSearch" label="ef_search" numeric value={pv.efSearch} onChange={set('efSearch')} error={errors['pgvector.efSearch']} hint="Candidates per query (10–1000); higher is slower, more exact." />
      </div>
    </fieldset>
  );
}
