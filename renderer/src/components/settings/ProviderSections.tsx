import { RELATIONAL_CHOICES, VECTOR_CHOICES, chooseProvider, hasErrors, storeErrors, usedGroups, type FieldErrors } from '../../logic/settingsForm';
import { useKb } from '../../store';
import { ConnectionTestButton } from './ConnectionTestButton';
import { RadioCards } from './fields';
import { AuroraFields, ChromaFields, PgvectorFields } from './OtherFields';
import { PostgresFields } from './PostgresFields';

export function RelationalSection({ errors }: { errors: FieldErrors }) {
  const provider = useKb((s) => s.settingsDraft?.relationalProvider ?? 'sqlite');
  const vectorProvider = useKb((s) => s.settingsDraft?.vectorProvider ?? 'embedded');
  const edit = useKb((s) => s.editSettingsDraft);
  const used = usedGroups({ relationalProvider: provider, vectorProvider });
  return (
    <section className="panel settings-section" aria-labelledby="settings-relational-title" data-testid="relational-section">
      <h3 id="settings-relational-title" className="settings-section-title">
        Relational store
      </h3>
      <p className="settings-section-intro muted">Documents with their text and outline, indexing jobs and the keyword index.</p>
      <RadioCards name="relational" legend="Relational provider" compact choices={RELATIONAL_CHOICES} value={provider} onChange={(id) => edit((d) => chooseProvider(d, 'relational', id))} />
      {provider === 'sqlite' && <p className="settings-hint">Nothing to set up: the database is a file in the app’s data folder.</p>}
      {provider === 'postgres' && <PostgresFields errors={errors} sharedWithPgvector={used.pgvector} />}
      {provider === 'aurora' && <AuroraFields errors={errors} />}
      <ConnectionTestButton side="relational" what="relational store" disabled={hasErrors(storeErrors(errors))} />
    </section>
  );
}

export function VectorSection({ errors }: { errors: FieldErrors }) {
  const provider = useKb((s) => s.settingsDraft?.vectorProvider ?? 'embedded');
  const relationalProvider = useKb((s) => s.settingsDraft?.relationalProvider ?? 'sqlite');
  const edit = useKb((s) => s.editSettingsDraft);
  // pgvector shares PostgreSQL's connection; when the relational store is not PostgreSQL, its fields are shown here.
  const needsConnection = provider === 'pgvector' && relationalProvider !== 'postgres';
  return (
    <section className="panel settings-section" aria-labelledby="settings-vector-title" data-testid="vector-section">
      <h3 id="settings-vector-title" className="settings-section-title">
        Vector store
      </h3>
      <p className="settings-section-intro muted">The passages’ embeddings, which search by meaning reads.</p>
      <RadioCards name="vector" legend="Vector provider" compact choices={VECTOR_CHOICES} value={provider} onChange={(id) => edit((d) => chooseProvider(d, 'vector', id))} />
      {provider === 'embedded' && <p className="settings-hint">Nothing to set up: the vectors live in the same SQLite file.</p>}
      {provider === 'chromadb' && <ChromaFields errors={errors} />}
      {needsConnection && <PostgresFields errors={errors} sharedWithPgvector />}
      {provider === 'pgvector' && relationalProvider === 'postgres' && <p className="settings-hint">Uses the PostgreSQL connection of the relational store above.</p>}
      {provider === 'pgvector' && <PgvectorFields errors={errors} />}
      <ConnectionTestButton side="vector" what="vector store" disabled={hasErrors(storeErrors(errors))} />
    </section>
  );
}
