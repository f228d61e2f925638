import { PROFILES, chooseProfile } from '../../logic/settingsForm';
import { useKb } from '../../store';
import { RadioCards } from './fields';

/** The named pairs of providers; the chosen one's notes (ports, TLS, credentials) below. */
export function ProfilePicker() {
  const profile = useKb((s) => s.settingsDraft?.profile ?? 'embedded');
  const edit = useKb((s) => s.editSettingsDraft);
  const chosen = PROFILES.find((p) => p.id === profile);
  return (
    <section className="panel settings-section" aria-labelledby="settings-profile-title">
      <h3 id="settings-profile-title" className="settings-section-title">
        Profile
      </h3>
      <p className="settings-section-intro muted">Pick where the library lives; each profile fills in the providers below, which you can then adjust.</p>
      <RadioCards name="profile" legend="Profile" choices={[...PROFILES]} value={profile} onChange={(id) => edit((d) => chooseProfile(d, id as typeof profile))} />
      {chosen && chosen.notes.length > 0 && (
        <div className="settings-note" role="note" data-testid="profile-notes" aria-label={`About ${chosen.label}`}>
          <p className="settings-note-title">About {chosen.label}</p>
          <ul>
            {chosen.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
