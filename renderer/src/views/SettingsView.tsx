/** The Settings screen (issue 11: being built). */
export function SettingsView() {
  return <h2>Settings</h2>;
}
