/**
 * Gives a public class its own name back (`Session.name`, what logs show for an instance):
 * the build minifies identifiers without keeping every function's name, which would cost
 * about 2 KB gzip of start-up; the SDK's public classes are named here instead.
 */
export function keepName(cls: object, name: string): void {
  Object.defineProperty(cls, 'name', { value: name, configurable: true });
}
