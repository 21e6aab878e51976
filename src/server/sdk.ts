// The one door from the server to the rest of the SDK: everything the server uses comes
// through the package's public entries, so the built `mpl-sdk/server` imports `./index.js`
// and `./qom.js` (one hasher, one MplEnvelope class shared with the client) instead of a second copy.
export { QomProfile } from '../qom.ts';
export {
  ErrorCode, MplError, SchemaFidelityError, UnknownStypeError, MplEnvelope, SType, SchemaValidator,
  embeddedRegistry, loadHasher, readWireError, replyMarkers, semanticHash,
} from '../index.ts';
export type { AlpnError, AlpnSelect, BuiltinQomProfileName, HashLayout, PayloadOf, QomReport, Registry, StypeId, ValidationIssue } from '../index.ts';
