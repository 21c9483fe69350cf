// The partner SOAP API's `login` call (`/services/Soap/u/NN.N`), which jsforce's `login()` uses when no
// OAuth client is configured. Other partner API operations answer with a fault naming them.
import type { EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import type { RouteContext } from '../routes/context.ts';

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${tag}>([^<]*)</(?:\\w+:)?${tag}>`).exec(xml)?.[1];
  return match?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
}

function fault(code: string, message: string): EmulatorReply {
  return {
    status: 500,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: envelope(`<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${code}: ${xmlEscape(message)}</faultstring></soapenv:Fault>`).replace('xmlns="urn:partner.soap.sforce.com"', 'xmlns:sf="urn:fault.partner.soap.sforce.com"'),
  };
}

function login(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const xml = request.rawBody.toString('utf8');
  if (!/<(?:\w+:)?login[\s>]/.test(xml)) return fault('UNSUPPORTED_API_OPERATION', 'The org emulator only implements login in the partner SOAP API; use REST.');
  const user = ctx.tokens.userByName(xmlText(xml, 'username') ?? '');
  if (!user || !user.active || user.password !== xmlText(xml, 'password')) return fault('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.');
  const version = request.params.apiVersion ?? '62.0';
  const base = ctx.baseUrl();
  const orgId = ctx.org.orgId;
  const result = [
    `<metadataServerUrl>${base}/services/Soap/m/${version}/${orgId}</metadataServerUrl>`,
    '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>',
    `<serverUrl>${base}/services/Soap/u/${version}/${orgId}</serverUrl>`,
    `<sessionId>${ctx.tokens.issueAccessToken(user.id)}</sessionId><userId>${user.id}</userId>`,
    '<userInfo><accessibilityMode>false</accessibilityMode><currencySymbol>$</currencySymbol><orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>',
    `<organizationId>${orgId}</organizationId><organizationName>PRM Sync Emulated Org</organizationName><userEmail>${xmlEscape(user.email)}</userEmail>`,
    `<userFullName>${xmlEscape(`${user.firstName} ${user.lastName}`.trim())}</userFullName><userId>${user.id}</userId><userLanguage>en_US</userLanguage>`,
    `<userLocale>en_US</userLocale><userName>${xmlEscape(user.username)}</userName><userTimeZone>GMT</userTimeZone><userType>Standard</userType></userInfo>`,
  ].join('');
  return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: envelope(`<loginResponse><result>${result}</result></loginResponse>`) };
}

export function soapLoginRoutes(ctx: RouteContext): RouteModule {
  return {
    name: 'oauth',
    routes: [
      { method: 'POST', pattern: '/services/Soap/u/:apiVersion', handler: (r) => login(ctx, r), auth: false, label: 'oauth.soapLogin' },
      { method: 'POST', pattern: '/services/Soap/u/:apiVersion/:orgId', handler: (r) => login(ctx, r), auth: false, label: 'oauth.soapLogin' },
    ],
  };
}
