import type { Page } from 'playwright-core';

/** Drops files on an element the way a browser does: a real DataTransfer on drag events. */
export async function dropFiles(page: Page, selector: string, files: Record<string, string>): Promise<void> {
  await page.evaluate(
    ({ selector, files }) => {
      const target = document.querySelector(selector);
      if (!target) throw new Error(`no ${selector}`);
      const dt = new DataTransfer();
      for (const [name, text] of Object.entries(files)) dt.items.add(new File([text], name, { type: 'text/plain' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    },
    { selector, files },
  );
}

/** How far the page scrolls sideways (0 when it fits the window's width). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
