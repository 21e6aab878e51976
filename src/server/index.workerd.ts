// mpl-sdk/server under the `workerd` condition: the SDK's workerd entry first (it hands
// workerd's compiled blake3.wasm to the hasher), then the server.
import '../index.workerd.ts';

export * from './index.ts';
