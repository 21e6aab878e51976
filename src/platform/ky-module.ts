// What this SDK uses of ky, behind one dynamic import (src/platform/ky.ts): the bundle's
// chunk for it is named after this file.
export { default, isHTTPError } from 'ky';
