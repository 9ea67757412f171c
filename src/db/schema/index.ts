export * from './settings';
export * from './auth';
export * from './contacts';
export * from './orders';
export * from './templates';
export * from './messages';
export * from './campaigns';
export * from './coupons';
