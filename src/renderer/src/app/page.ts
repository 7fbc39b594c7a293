import type { ComponentType } from 'react';
import type { ProfileView } from '../../../shared/model/profile';

/** The live connection a page that needs one is rendered with. */
export interface LiveConnection {
  profileId: string;
  profile: ProfileView;
}

interface PageBase<Id extends string> {
  id: Id;
  /** Nav label; pages use it as their heading where they have one. */
  title: string;
  icon: string;
  /** Position in the navigation, lowest first. */
  order: number;
  /** Rendered inside the nav item after the label, e.g. a count of alerts. */
  NavBadge?: ComponentType;
}

/**
 * A page that needs a live connection gets it as a prop, and the shell shows `offline` instead
 * while there is none — so no page repeats the "No live connection" guard.
 */
export interface LivePage<Id extends string = string> extends PageBase<Id> {
  needsConnection: true;
  /** Why to connect, shown on the empty page. */
  offline: string;
  component: ComponentType<{ connection: LiveConnection }>;
}

export interface StaticPage<Id extends string = string> extends PageBase<Id> {
  needsConnection: false;
  component: ComponentType;
}

export type PageDescriptor<Id extends string = string> = LivePage<Id> | StaticPage<Id>;

/** Keeps the literal id, so the registry can derive the page type from its entries. */
export const definePage = <const Id extends string>(page: PageDescriptor<Id>): PageDescriptor<Id> => page;
