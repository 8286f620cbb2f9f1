// Types of scripts/kernel-abi.mjs (for the tests that import it).
export type ParamType = 'ptr' | 'i32' | 'f32' | 'f64' | 'bool';
export type Param = [name: string, type: ParamType];
export interface KernelTable {
  constants: Record<string, { doc: string; value: number; as: 'i32' | 'usize' }>;
  paramBlocks: Record<string, { doc: string; fields: Param[] }>;
  kernels: Record<string, { doc: string; params: Param[]; pooled?: boolean; returns?: 'i32' }>;
}
export function tableProblems(table: KernelTable): string[];
export function generateTs(table: KernelTable): string;
export function generateAs(table: KernelTable): string;
export function exportProblems(table: Pick<KernelTable, 'kernels'>, dts: string): string[];
