/** The search box: its id, and focusing it from anywhere (shortcuts, the app menu, a closed dialog). */
export const SEARCH_INPUT_ID = 'search-input';

export function focusSearch(): void {
  if (typeof document === 'undefined') return; // the store's tests run without a page
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}
