/** The OS family a model identifier belongs to (ProductName / Model in check-ins). */
export function platformOf(model: string | undefined, osVersion?: string): string | undefined {
  if (!model) return undefined;
  if (/^iPhone|^iPod/.test(model)) return 'ios';
  if (/^iPad/.test(model)) return 'ipados';
  if (/^AppleTV/.test(model)) return 'tvos';
  if (/^Watch/.test(model)) return 'watchos';
  if (/^RealityDevice/.test(model)) return 'visionos';
  if (/^(iMac|Mac|MacBook|Macmini|MacPro|VirtualMac|Xserve)/.test(model)) return 'macos';
  if (osVersion && /^1[0-1]\.\d/.test(osVersion) && /Mac/i.test(model)) return 'macos';
  return undefined;
}
