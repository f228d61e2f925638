/** Flags that let Debian's Chromium run headless on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Debian's Chromium (`apt-get install chromium`); playwright's own browsers cannot be downloaded here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
