import * as z from 'zod';
import { idSchema } from './id-schema.ts';

/*
 * What a match brought together, taken when the relationship is created: departments and skills
 * change later, and analytics report what the matching achieved with the profiles it had.
 * "Covered" is the matcher's notion (its skills criterion): a wanted skill counts as covered when
 * another member offers the same skill (names compared trimmed, case- and space-insensitive) at a
 * level above the learner's own. Mentors are there to teach, so, as in the matcher, only mentees'
 * and peers' wanted skills count.
 */

export const memberMatchSnapshot = z
  .object({
    personId: idSchema('person'),
    crossDepartment: z.boolean().meta({
      description: "Another member's department was known and different from this member's",
    }),
    wantedSkills: z.int().min(0).meta({ description: 'Skills this member wanted to grow (0 for mentors)' }),
    wantedSkillsCovered: z.int().min(0).meta({
      description: 'Of them, skills another member offered at a level above this member’s own',
    }),
  })
  .meta({ id: 'MemberMatchSnapshot' });
export type MemberMatchSnapshot = z.infer<typeof memberMatchSnapshot>;

export const matchSnapshot = z.object({ members: z.array(memberMatchSnapshot) }).meta({
  id: 'MatchSnapshot',
  description:
    "The members' departments and skills as they were when matched, per member; absent on relationships created before snapshots were taken",
});
export type MatchSnapshot = z.infer<typeof matchSnapshot>;

/** A member's profile as matched: the enrollment's skills where it overrides the person's. */
export interface MatchedProfile {
  id: string;
  role: 'mentor' | 'mentee' | 'peer';
  department?: string | undefined;
  skillsOffered?: readonly { name: string; level: number }[] | undefined;
  skillsWanted?: readonly { name: string }[] | undefined;
}

const skillKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

function offeredLevels(profile: MatchedProfile): Map<string, number> {
  const levels = new Map<string, number>();
  for (const skill of profile.skillsOffered ?? []) {
    const key = skillKey(skill.name);
    levels.set(key, Math.max(levels.get(key) ?? 0, skill.level));
  }
  return levels;
}

/** The snapshot of a match from its members' profiles at that moment. */
export function takeMatchSnapshot(members: readonly MatchedProfile[]): MatchSnapshot {
  const levels = members.map(offeredLevels);
  const departments = members.map((m) => m.department?.trim() || undefined);
  return {
    members: members.map((member, i) => {
      const department = departments[i];
      const others = members.map((_, j) => j).filter((j) => j !== i);
      const wanted =
        member.role === 'mentor'
          ? []
          : [...new Set((member.skillsWanted ?? []).map((s) => skillKey(s.name)))];
      const covered = wanted.filter((skill) => {
        const current = levels[i]!.get(skill) ?? 0;
        return others.some((j) => (levels[j]!.get(skill) ?? 0) > current);
      });
      return {
        personId: member.id,
        crossDepartment:
          department !== undefined &&
          others.some((j) => departments[j] !== undefined && departments[j] !== department),
        wantedSkills: wanted.length,
        wantedSkillsCovered: covered.length,
      };
    }),
  };
}
