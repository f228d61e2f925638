import { useLayoutEffect, useRef } from 'react';

/**
 * For controls that disappear because they were used (a cancel button whose job is now
 * cancelled, "Stop watching" on a row that goes away): if focus was inside the element when it
 * unmounts, it moves to the first of `targetIds` still on the page (headings with tabIndex -1)
 * instead of falling back to <body>, where a keyboard user would have to start over.
 */
export function useFocusRescue<T extends HTMLElement>(...targetIds: string[]) {
  const ref = useRef<T>(null);

  useLayoutEffect(() => {
    const node = ref.current;
    return () => {
      // Layout cleanups run before React removes the nodes, so focus is still where it was.
      if (!node?.contains(document.activeElement)) return;
      // After the commit: the target may be re-rendered, or be leaving itself.
      setTimeout(() => {
        const active = document.activeElement;
        if (active && active !== document.body && active.isConnected) return;
        for (const id of targetIds) {
          const target = document.getElementById(id);
          if (target) {
            target.focus();
            return;
          }
        }
      }, 0);
    };
    // The targets are fixed ids; only mount and unmount matter.
  }, []);

  return ref;
}
