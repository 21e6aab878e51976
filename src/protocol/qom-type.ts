import type * as qom from './qom.ts';

/**
 * The type of a QoM profile (the `QomProfile` class of `mpl-sdk/qom`), for code that takes
 * or holds one. The class itself, with `QomProfile.builtin`, `fromJSON` and `resolve`, is
 * imported from `mpl-sdk/qom`: it loads only where it is used.
 *
 * @example
 * import type { QomProfile } from 'mpl-sdk';
 * import { QomProfile as Profiles } from 'mpl-sdk/qom';
 * const strict: QomProfile = Profiles.builtin('qom-strict-argcheck');
 */
export type QomProfile = qom.QomProfile;
