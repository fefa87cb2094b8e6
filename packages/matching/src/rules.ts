import { type CompiledProgram, type Csr, ROLE_MENTEE, ROLE_MENTOR, ROLE_PEER } from './profiles.ts';
import type { Exclusion } from './types.ts';

export function sortedHas(list: Csr, row: number, value: number): boolean {
  let lo = list.start[row]!;
  let hi = list.start[row + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const item = list.items[mid]!;
    if (item === value) return true;
    if (item < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function sameReportingLine(cp: CompiledProgram, a: number, b: number): boolean {
  return linesCross(cp.lineEnter[a]!, cp.lineExit[a]!, cp.lineEnter[b]!, cp.lineExit[b]!);
}

/** Whether one of two people (their reporting-forest numbers) is above the other. */
export function linesCross(enterA: number, exitA: number, enterB: number, exitB: number): boolean {
  return (enterA < enterB && enterB <= exitA) || (enterB < enterA && enterA <= exitB);
}

/** Signed for one_to_one (mentor minus mentee), absolute for peers; NaN when either is unknown. */
export function experienceGap(cp: CompiledProgram, a: number, b: number): number {
  if (cp.settings.format === 'one_to_one') {
    const mentor = cp.role[a] === ROLE_MENTOR ? a : b;
    const mentee = mentor === a ? b : a;
    return cp.experience[mentor]! - cp.experience[mentee]!;
  }
  return Math.abs(cp.experience[a]! - cp.experience[b]!);
}

export function rolesFit(cp: CompiledProgram, a: number, b: number): boolean {
  if (cp.settings.format === 'one_to_one')
    return (
      (cp.role[a] === ROLE_MENTOR && cp.role[b] === ROLE_MENTEE) ||
      (cp.role[a] === ROLE_MENTEE && cp.role[b] === ROLE_MENTOR)
    );
  return cp.role[a] === ROLE_PEER && cp.role[b] === ROLE_PEER;
}

/** Every hard rule that forbids pairing a with b; empty when the pair is allowed. */
export function exclusions(cp: CompiledProgram, a: number, b: number): Exclusion[] {
  const out: Exclusion[] = [];
  const [nameA, nameB] = [cp.names[a]!, cp.names[b]!];
  const s = cp.settings;
  if (a === b) return [{ rule: 'same_person', message: `${nameA} cannot be matched with themselves` }];
  if (!rolesFit(cp, a, b))
    out.push({
      rule: 'role',
      message:
        s.format === 'one_to_one'
          ? `A one-to-one pair needs one mentor and one mentee; ${nameA} is a ${cp.participants[a]!.role} and ${nameB} a ${cp.participants[b]!.role}`
          : `Only peers are matched in a ${s.format} program; ${nameA} is a ${cp.participants[a]!.role} and ${nameB} a ${cp.participants[b]!.role}`,
    });
  const dept = cp.department[a]!;
  if (s.crossDepartmentOnly && dept >= 0 && dept === cp.department[b])
    out.push({
      rule: 'same_department',
      message: `Both work in ${cp.departmentNames[dept]} and the program pairs across departments only`,
    });
  if (s.excludeSameReportingLine && sameReportingLine(cp, a, b))
    out.push({
      rule: 'same_reporting_line',
      message: `${nameA} and ${nameB} are in the same reporting line`,
    });
  if (s.excludePreviousPartners && sortedHas(cp.previousPartners, a, b))
    out.push({ rule: 'previous_partners', message: `${nameA} and ${nameB} were partners before` });
  if (sortedHas(cp.blocked, a, b))
    out.push({
      rule: 'blocked',
      message: `One of ${nameA} and ${nameB} asked not to be matched with the other`,
    });
  const gap = experienceGap(cp, a, b);
  if (gap < s.gapMin || gap > s.gapMax)
    out.push({
      rule: 'experience_gap',
      message: `An experience gap of ${gap} years is outside the allowed ${s.gapMin}–${s.gapMax} years`,
    });
  if (s.format === 'one_to_one') {
    const mentor = cp.role[a] === ROLE_MENTOR ? a : cp.role[b] === ROLE_MENTOR ? b : -1;
    if (mentor >= 0 && cp.capacity[mentor] === 0)
      out.push({ rule: 'no_capacity', message: `${cp.names[mentor]} has no capacity for mentees` });
  }
  return out;
}

export function allowed(cp: CompiledProgram, a: number, b: number): boolean {
  if (a === b || !rolesFit(cp, a, b)) return false;
  const s = cp.settings;
  const dept = cp.department[a]!;
  if (s.crossDepartmentOnly && dept >= 0 && dept === cp.department[b]) return false;
  if (s.excludeSameReportingLine && sameReportingLine(cp, a, b)) return false;
  if (s.excludePreviousPartners && sortedHas(cp.previousPartners, a, b)) return false;
  if (sortedHas(cp.blocked, a, b)) return false;
  const gap = experienceGap(cp, a, b);
  if (gap < s.gapMin || gap > s.gapMax) return false;
  if (s.format === 'one_to_one') {
    const mentor = cp.role[a] === ROLE_MENTOR ? a : b;
    if (cp.capacity[mentor] === 0) return false;
  }
  return true;
}
