import type { ErrorKind, KbErrorShape } from '../../../core/api';
import type { FieldKey } from './settingsForm';

/** What the UI shows for an error: a short title, the core's message, and what to do about it. */
export interface UserError {
  kind: ErrorKind | 'Unknown';
  title: string;
  message: string;
  hint: string;
  /** The fix is in Settings: where the error is shown, offer a button that opens them. */
  opensSettings: boolean;
  /** The Settings field that fixes it, focused when that button is pressed. */
  settingsField?: FieldKey;
}

const COPY: Record<ErrorKind, { title: string; hint: string }> = {
  ValidationError: { title: 'Check what you entered', hint: 'Correct the highlighted value and try again.' },
  NotFound: {
    title: 'No longer there',
    hint: 'It may have been deleted or moved. The list has been refreshed.',
  },
  UnsupportedFile: {
    title: 'Cannot read this file',
    hint: 'Only this file was left out; the others are indexed as usual.',
  },
  FileTooLarge: {
    title: 'File too large',
    hint: 'Split the file, or raise Maximum file size under Settings › Indexing.',
  },
  ProviderUnavailable: {
    title: 'Cannot reach a database or the server',
    hint: 'Start it or check its address. To use the built-in storage instead, open Settings and choose the Embedded profile.',
  },
  DimensionMismatch: {
    title: 'The model does not match the index',
    hint: 'Re-index your documents with the current model, or choose the model the index was built with under Model.',
  },
  ModelUnavailable: {
    title: 'The embedding model is not available',
    hint: 'Put the model files in the models folder, or allow downloading models in Settings.',
  },
  Unauthorized: {
    title: 'Not authorised',
    hint: 'Open qckstrt from the link it printed when it started; the link carries an access token.',
  },
  Cancelled: { title: 'Cancelled', hint: 'Nothing was changed. Start again when you are ready.' },
  LibraryInUse: {
    title: 'The library is in use by another program',
    hint: 'Searching works meanwhile. To add or change documents, wait for that program to finish or stop it, then restart qckstrt.',
  },
  Internal: {
    title: 'Something went wrong',
    hint: 'Try again. If it keeps happening, restart qckstrt and check its log.',
  },
};

/**
 * Ask's own wording where the failing thing is its Ollama server rather than the library's stores
 * or embedding model (the core's message names Ollama and says what to run or set).
 */
const ASK_COPY: Partial<Record<ErrorKind, { title: string; hint: string }>> = {
  ProviderUnavailable: {
    title: 'Ollama is not answering',
    hint: 'Ask writes answers with a local Ollama server; search works without it.',
  },
  ModelUnavailable: {
    title: 'The answer model is not installed',
    hint: 'Pull it with the command above, then ask again.',
  },
};

/**
 * A backup or restore's wording: the core's message names the archive's problem and says that
 * nothing was changed; the generic hints ("correct the highlighted value", "re-index your
 * documents") would point at the wrong thing.
 */
const BACKUP_COPY: Partial<Record<ErrorKind, { title: string; hint: string }>> = {
  ValidationError: {
    title: 'The backup or restore could not go ahead',
    hint: 'Your library is as it was. Do what the message says, then try again.',
  },
  DimensionMismatch: {
    title: 'This backup was made with another model',
    hint: 'Restore and re-index to embed its text again with the current model (slower), or switch to the backup’s model first.',
  },
  NotFound: {
    title: 'No backup file there',
    hint: 'Check the path: it names a .tar.gz file made by Back up now or by kb backup.',
  },
};

/** Where an error happened, when that changes what the user should do about it. */
export type ErrorContext = 'ask' | 'backup';

export function isKnownKind(kind: string): kind is ErrorKind {
  return Object.prototype.hasOwnProperty.call(COPY, kind);
}

/** The formats the core reads (its parsers in core/ingest/parsers), as a person would list them. */
export const READABLE_FORMATS = 'Markdown, plain text, PDF, Word (.docx), HTML, CSV, JSON and source code files';

/**
 * What to do about a file that could not be read, from what the core said was wrong with it: a
 * password, a scan without text, damage, an unknown type… so each failed file gets advice that is
 * true for it (a PDF is never told that only .txt and .md are read).
 */
export function unsupportedFileHint(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('password-protected')) return 'Save a copy without the password (or print it to a new PDF), then add that copy.';
  if (m.includes('scanned images')) return 'It holds pictures of pages, not text: run it through text recognition (OCR) first, then add it again.';
  if (m.includes('zip bomb')) return 'It unpacks to far more data than it holds, so it was refused for safety.';
  if (m.includes('expands to more than') || m.includes('passages to embed') || m.includes('levels deep')) {
    return 'One file may not produce far more text than it holds, so it cannot hold up indexing: split it into smaller files, or export the part you need as text.';
  }
  if (m.includes('took longer than') || m.includes('ran out of memory') || m.includes('the parser')) {
    return 'It may be very large or damaged: save it again from the app that made it, or split it, then add it again.';
  }
  if (m.includes('not supported') || m.includes('nothing to index in what was dropped')) return `qckstrt reads ${READABLE_FORMATS}.`;
  if (m.includes('is empty') || m.includes('has no text')) return 'There is no text in it to search. Add it again once it has some.';
  if (m.includes('binary data')) return 'Its name says text but it holds binary data: check that it was saved in the right format.';
  if (m.includes('not a regular file')) return 'Only files can be indexed: add the file itself, or the folder that holds it.';
  if (m.includes('not a readable') || m.includes('not valid json') || m.includes('damaged') || m.includes('not a word document')) {
    return 'The file seems damaged: open it in the app that made it, save it again, then add it again.';
  }
  return COPY.UnsupportedFile.hint;
}

function hintFor(kind: ErrorKind, message: string): { hint: string; opensSettings: boolean; settingsField?: FieldKey } {
  switch (kind) {
    case 'UnsupportedFile':
      return { hint: unsupportedFileHint(message), opensSettings: false };
    case 'ModelUnavailable':
      // An Ollama model: the core's message says to start Ollama or pull the model.
      if (/ollama/i.test(message)) return { hint: 'Start Ollama or pull the model as the message says, then choose the model again.', opensSettings: false };
      return { hint: COPY.ModelUnavailable.hint, opensSettings: true };
    case 'ProviderUnavailable':
      // Ollama is not one of the stores Settings switches.
      if (/ollama/i.test(message)) return { hint: 'Start Ollama (`ollama serve`) and try again, or choose another model under Model.', opensSettings: false };
      return { hint: COPY.ProviderUnavailable.hint, opensSettings: true };
    case 'FileTooLarge':
      // Past the upload cap the setting does not help: the core's message says to add it by path.
      if (/add the file by its path/i.test(message)) return { hint: 'Add the file by its path instead of uploading it.', opensSettings: false };
      return { hint: COPY.FileTooLarge.hint, opensSettings: true, settingsField: 'ingest.maxFileSizeMb' };
    default:
      return { hint: COPY[kind].hint, opensSettings: false };
  }
}

/** Maps an error (from a Result or from a failed job, whose kind is a plain string) to UI copy. */
export function toUserError(error: { kind: string; message: string }, context?: ErrorContext): UserError {
  const message = error.message?.trim() || 'No details were given.';
  if (isKnownKind(error.kind)) {
    const askCopy = context === 'ask' && /ollama/i.test(message) ? ASK_COPY[error.kind] : undefined;
    if (askCopy) return { kind: error.kind, message, ...askCopy, opensSettings: false };
    const backupCopy = context === 'backup' ? BACKUP_COPY[error.kind] : undefined;
    if (backupCopy) return { kind: error.kind, message, ...backupCopy, opensSettings: false };
    return { kind: error.kind, message, title: COPY[error.kind].title, ...hintFor(error.kind, message) };
  }
  return { kind: 'Unknown', message, title: 'Something went wrong', hint: COPY.Internal.hint, opensSettings: false };
}

/** Builds an error shape for failures that happen in the renderer itself. */
export function localError(kind: ErrorKind, message: string): KbErrorShape {
  return { kind, message };
}
