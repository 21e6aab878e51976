// node qom.mjs: QoM profiles and reports come from mpl-sdk/qom, loaded only where imported.
import { QomBreachError } from 'mpl-sdk';
import { QomProfile, readQomReport } from 'mpl-sdk/qom';

const strict = QomProfile.builtin('qom-strict-argcheck');
console.log('evaluate:', JSON.stringify(strict.evaluate({ schemaFidelity: 1, instructionCompliance: 0.9 })));

// A report as some peers send it: flat camelCase metrics, one as {"score": …}.
const report = { profile: 'qom-strict-argcheck', meetsProfile: true, schemaFidelity: 1, instructionCompliance: { score: 0.5 } };
console.log('read:', JSON.stringify(readQomReport(report).metrics));
try {
  strict.assertReport(report);
} catch (error) {
  if (!(error instanceof QomBreachError)) throw error;
  console.log('breach:', error.metric, error.actual); // breach: instructionCompliance 0.5
}
