import { hostname, userInfo } from 'node:os';

/** Which host runs main's services: it is written into every audit entry. */
export type HostKind = 'desktop' | 'web' | 'cli' | 'sdk' | 'test';

/** Who acts through a connection: the OS user and machine, and the host they act from. */
export interface Actor {
  user: string;
  host: string;
  via: HostKind;
}

export function localActor(via: HostKind): Actor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers) has no name; the id still says who.
    user = `uid ${process.getuid?.() ?? 'unknown'}`;
  }
  return { user, host: hostname(), via };
}
