import { KbServiceImpl } from './kbService';
import type { KbServiceOptions } from './options';

export type { KbService, KbServiceOptions } from './options';
export { KbServiceImpl, LOCAL_USER } from './kbService';

export function createKbService(options: KbServiceOptions): Promise<KbServiceImpl> {
  return KbServiceImpl.create(options);
}
