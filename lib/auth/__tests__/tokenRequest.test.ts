import { TokenUsageError, tokenRequestFromArgs } from '../tokenRequest';

describe('tokenRequestFromArgs', () => {
  it.each([
    [['--role', 'ADMIN'], { role: 'ADMIN', sub: 'local-developer' }],
    [
      ['--role', 'LANDLORD_STAFF', '--landlord', 'landlord-1'],
      { role: 'LANDLORD_STAFF', sub: 'local-developer', landlordId: 'landlord-1' },
    ],
    [
      ['--role', 'COORDINATOR', '--district', 'district-1', '--district', 'district-2', '--district', 'district-1'],
      { role: 'COORDINATOR', sub: 'local-developer', districtIds: ['district-1', 'district-2'] },
    ],
    [['--role', 'PARTNER', '--partner', 'partner-1', '--sub', 'regie'], { role: 'PARTNER', sub: 'regie', partnerId: 'partner-1' }],
  ])('turns %j into claims', (args, claims) => {
    expect(tokenRequestFromArgs(args)).toEqual({ claims, expiresIn: '8h' });
  });

  it('takes the expiry from --expires', () => {
    expect(tokenRequestFromArgs(['--role', 'ADMIN', '--expires', '30m']).expiresIn).toBe('30m');
  });

  it.each([
    [[], /--role is required/],
    [['--role', 'admin'], /Unknown role "admin"; use one of ADMIN, LANDLORD_STAFF, COORDINATOR, PARTNER/],
    [['--role', 'LANDLORD_STAFF'], /LANDLORD_STAFF needs --landlord/],
    [['--role', 'COORDINATOR'], /COORDINATOR needs at least one --district/],
    [['--role', 'PARTNER'], /PARTNER needs --partner/],
    [['--role', 'ADMIN', '--landlord', 'landlord-1'], /--landlord does not apply to ADMIN/],
    [['--role', 'PARTNER', '--partner', 'p', '--district', 'd'], /--district does not apply to PARTNER/],
    [['--role', 'LANDLORD_STAFF', '--landlord', ''], /--landlord must not be empty/],
    [['--role', 'ADMIN', '--sub', ' '], /--sub must not be empty/],
    [['--role', 'ADMIN', '--expires', '8 hours'], /not a duration like 30m, 8h or 7d/],
    [['--role', 'ADMIN', '--expires', '0h'], /not a duration/],
    [['--role', 'ADMIN', '--admin'], /Unknown option '--admin'/],
    [['--role'], /argument missing/],
    [['--role', 'ADMIN', 'extra'], /extra/],
  ])('rejects %j', (args, message) => {
    expect(() => tokenRequestFromArgs(args)).toThrow(TokenUsageError);
    expect(() => tokenRequestFromArgs(args)).toThrow(message);
  });
});
