/** Digits only: operators type numbers with spaces or dashes ("138 1234 5678", "010-6512 3456"). */
export function phoneDigits(text: string): string {
  return text.replace(/[\s\-()（）]/g, '');
}

const mobile = /^1[3-9]\d{9}$/;
// Landline with area code (010, 0755 …) or a bare local number of 7–8 digits.
const landline = /^(0\d{2,3})?[2-9]\d{6,7}$/;

export function isValidPhone(text: string): boolean {
  const digits = phoneDigits(text.replace(/^\+?86/, ''));
  return mobile.test(digits) || landline.test(digits);
}
