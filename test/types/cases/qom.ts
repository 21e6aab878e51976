// Type-level cases for QoM profile names: `QomProfile.builtin` takes the reference's four
// names only; where a registry's own profile is allowed (Session, Client, server,
// `resolve`), any string compiles and the four are offered. Checked by
// test/types/types.test.ts; never run.
import { QomProfile, type BuiltinQomProfileName } from 'mpl-sdk/qom';
import { Client, Session, type ProfileSource } from 'mpl-sdk';
import { MplServer } from 'mpl-sdk/server';

declare const fromConfig: string;
declare const registry: ProfileSource;

export async function compiles(): Promise<void> {
  const strict = QomProfile.builtin('qom-strict-argcheck');
  for (const name of QomProfile.builtinNames) QomProfile.builtin(name); // builtinNames: BuiltinQomProfileName[]
  const listed: boolean = QomProfile.builtinNames.includes(fromConfig); // includes takes any string
  void listed;
  const named: BuiltinQomProfileName = 'qom-comprehensive';
  QomProfile.builtin(named);
  // A name known at run time: narrowed by isBuiltin, or resolved (a registry's own profile, else a built-in one).
  if (QomProfile.isBuiltin(fromConfig)) QomProfile.builtin(fromConfig);
  await QomProfile.resolve(fromConfig, registry);
  await QomProfile.resolve('qom-basic');
  const fallback = strict.retryPolicy?.degradeTo;
  if (fallback !== undefined) await QomProfile.resolve(fallback, registry);
  // Where any profile may be named.
  new Session({ endpoint: 'ws://localhost:9443', stypes: ['org.calendar.Event.v1'], qomProfile: 'team-strict' });
  new Session({ endpoint: 'ws://localhost:9443', stypes: ['org.calendar.Event.v1'], qomProfile: 'qom-outcome' });
  new Client('http://localhost:9443', { profile: 'team-strict' });
  new Client('http://localhost:9443', { profile: strict });
  new MplServer({ requiredProfile: 'team-strict' });
  new MplServer({ requiredProfile: 'qom-basic' });
}

export function fails(): void {
  // @ts-expect-error a misspelt built-in profile
  QomProfile.builtin('qom-strict-argchek');
  // @ts-expect-error a string of unknown value: isBuiltin or resolve first
  QomProfile.builtin(fromConfig);
  // @ts-expect-error builtinNames holds the four names only
  const names: readonly 'qom-basic'[] = QomProfile.builtinNames;
  void names;
  // @ts-expect-error a profile name is a string
  new Session({ endpoint: 'ws://localhost:9443', stypes: ['org.calendar.Event.v1'], qomProfile: 1 });
}
