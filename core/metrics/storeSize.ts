/**
 * What a store says about its size: bytes on disk or in the database, or why it cannot say (a
 * remote ChromaDB), or where its bytes are counted instead (embedded vectors in the SQLite file).
 */
export interface StoreSize {
  bytes?: number;
  note?: string;
}
