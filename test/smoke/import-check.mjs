// Imported by Node, Deno and Bun from the built universal bundle: prints what the
// runtime saw, so test/smoke/runtimes.test.ts can compare it across runtimes.
import * as sdk from '../../dist/index.js';
const t = sdk.SType.parse('urn:stype:com.acme.finance.Trade.v2');
const env = sdk.MplEnvelope.fromWire('{"id":"1","stype":"org.agent.Heartbeat.v1","payload":{"status":"alive"}}');
let refused = '';
try { sdk.SType.parse('../x.y.Z.v1'); } catch (e) { refused = `${e.name} ${e.code} ${e instanceof sdk.MplError}`; }
console.log(JSON.stringify({ id: t.id, path: t.registryPath, wire: env.toWire(), refused, exports: Object.keys(sdk).length }));
