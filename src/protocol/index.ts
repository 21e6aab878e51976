export { SType } from './stype.ts';
export type * from './payloads.ts';
export { MplEnvelope, newEnvelopeId, type MplEnvelopeInit, type WireEnvelope } from './envelope.ts';
export {
  ALPN_VERSION, createHello, readHandshakeReply, isHandshakeMessage,
  type AlpnHello, type AlpnSelect, type AlpnError, type NegotiatedCapabilities, type Downgrade, type ServerTool,
} from './handshake.ts';
export type { Provenance, ProvenanceArtifact, WireProvenance, QomReport, QomReportMetrics, QomMetricValue, QomReportFailure, JsonValue } from './types.ts';
// QoM evaluation is `mpl-sdk/qom` (src/qom.ts), loaded on demand: only its types are here.
export type { QomProfile } from './qom-type.ts';
export type { QomReportReading, ReportedQomFailure, QomMetricName, QomWireMetricName, QomMetrics, QomThreshold, QomRetryPolicy, QomFailure, QomEvaluation, QomProfileJSON, ProfileSource, BuiltinQomProfileName, BuiltinQomProfileNames } from './qom.ts';
export { readPeerReply, replyMarkers, looksLikeEnvelope, type PeerReply, type ReplyContext } from './peer-reply.ts';
