/** The Status screen (issue 11: being built). */
export function StatusView() {
  return <h2>Status</h2>;
}
