/** Size limits shared by the public functions. @internal @module */

/**
 * Largest array length the library allocates from a caller's count or length argument
 * (2³¹ − 1, the largest Int32 index). A larger count is an input error reported with the library's
 * message instead of a raw `RangeError: Invalid typed array length` (or an allocation of gigabytes).
 */
export const MAX_ARRAY_LENGTH = 2 ** 31 - 1;
