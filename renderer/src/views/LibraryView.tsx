/** The Library screen (issue 11: being built). */
export function LibraryView() {
  return <h2>Library</h2>;
}
