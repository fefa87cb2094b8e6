/** asl-validator ships no type declarations; this is the part of its CommonJS export the tests call. */
declare module 'asl-validator' {
  export default function aslValidator(
    definition: object,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errorsText(separator?: string): string };
}
