import { KbServiceImpl } from './kbService';
import type { KbServiceOptions } from './options';

export type { KbService, KbServiceOptions, OriginalFiles } from './options';
export type { OriginalFile } from './originalFile';
export { KbServiceImpl, LOCAL_USER } from './kbService';

export function createKbService(options: KbServiceOptions): Promise<KbServiceImpl> {
  return KbServiceImpl.create(options);
}
