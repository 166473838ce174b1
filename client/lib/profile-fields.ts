// What a person changed in the profile form, and what that makes of someone else's version. Pure.
import type { Profile, ProfileFields } from '@/lib/api';

const FIELDS = ['name', 'email', 'bio'] as const satisfies readonly (keyof ProfileFields)[];

/** The form's fields of a profile (its email as '' where the viewer does not see it). */
export const fieldsOf = (p: Profile): ProfileFields => ({ name: p.name, email: p.email ?? '', bio: p.bio });

/** Only the fields `edited` holds differently from `base`: what the person changed, and nothing else. */
export function changesFrom(base: ProfileFields, edited: ProfileFields): Partial<ProfileFields> {
  return Object.fromEntries(FIELDS.filter((f) => edited[f] !== base[f]).map((f) => [f, edited[f]]));
}

export const sameFields = (a: ProfileFields, b: ProfileFields) => Object.keys(changesFrom(a, b)).length === 0;

/** Whether two versions differ in what the form edits (not only in their images). */
export const fieldsDiffer = (a: Profile, b: Profile) => !sameFields(fieldsOf(a), fieldsOf(b));

/** Their version with one's own changes over it: the fields one did not touch stay theirs. */
export const withChanges = (theirs: Profile, mine: Partial<ProfileFields>): ProfileFields => ({
  ...fieldsOf(theirs),
  ...mine,
});
