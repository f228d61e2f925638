import type { ModelChoice } from '../../../core/api';

/** What choosing a model will do, in the words the confirmation shows. */
export function describeModelSwitch(model: ModelChoice, documents: number): string {
  const steps: string[] = [];
  if (model.runtime === 'ollama') steps.push(`needs Ollama running with \`ollama pull ${model.id.replace(/^ollama\//, '')}\``);
  else if (!model.installed) steps.push(`downloads about ${model.sizeMb} MB once`);
  if (documents > 0) steps.push(`re-indexes ${documents} ${documents === 1 ? 'document' : 'documents'} in the background (search keeps working)`);
  return steps.length ? `This ${steps.join(' and ')}.` : 'Switches right away.';
}

/** The active model first, then better (larger) ones before smaller. */
export function orderModels(models: ModelChoice[]): ModelChoice[] {
  return [...models].sort((a, b) => Number(b.active) - Number(a.active) || b.dimensions - a.dimensions || a.id.localeCompare(b.id));
}
