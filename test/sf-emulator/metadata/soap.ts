// The SOAP envelope of the Metadata API: reads the operation of a request (the server has already
// checked the SessionHeader) and wraps results and faults the way Salesforce does (HTTP 500, sf:CODE).
import type { EmulatorReply } from '../contracts.ts';
import { isRecord } from './custom-field.ts';
import { buildXml, parseXml } from './xml.ts';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export class SoapFault extends Error {
  constructor(
    readonly exceptionCode: string,
    message: string,
    readonly faultCode: string = `sf:${exceptionCode}`,
  ) {
    super(message);
  }
}

export interface SoapCall {
  operation: string;
  /** The operation element's children, leaves as strings. */
  args: Record<string, unknown>;
}

export function parseSoapRequest(xml: string): SoapCall {
  let document: Record<string, unknown>;
  try {
    document = parseXml(xml);
  } catch (error) {
    throw new SoapFault('INVALID_XML', `Could not parse the SOAP request: ${(error as Error).message}`, 'soapenv:Client');
  }
  const envelope = document.Envelope;
  const body = isRecord(envelope) ? envelope.Body : undefined;
  if (!isRecord(envelope) || !isRecord(body)) throw new SoapFault('INVALID_XML', 'The request is not a SOAP envelope', 'soapenv:Client');
  const [operation, args] = Object.entries(body)[0] ?? [];
  if (!operation) throw new SoapFault('INVALID_XML', 'The SOAP body names no operation', 'soapenv:Client');
  return { operation, args: isRecord(args) ? args : {} };
}

/** `<operationResponse><result>…</result></operationResponse>`, one `<result>` per item for array results. */
export function soapResult(operation: string, result: string | Record<string, unknown> | Array<Record<string, unknown>>): EmulatorReply {
  return xmlReply(200, { [`${operation}Response`]: { result } });
}

export function soapFaultReply(fault: SoapFault): EmulatorReply {
  const faultString = fault.faultCode.startsWith('sf:') ? `${fault.exceptionCode}: ${fault.message}` : fault.message;
  return xmlReply(500, {
    'soapenv:Fault': {
      faultcode: fault.faultCode,
      faultstring: faultString,
      detail: {
        'sf:UnexpectedErrorFault': {
          '@_xsi:type': 'sf:UnexpectedErrorFault',
          'sf:exceptionCode': fault.exceptionCode,
          'sf:exceptionMessage': fault.message,
        },
      },
    },
  });
}

function xmlReply(status: number, body: Record<string, unknown>): EmulatorReply {
  const xml = buildXml({
    'soapenv:Envelope': {
      '@_xmlns:soapenv': SOAP_ENV,
      '@_xmlns': METADATA_NS,
      '@_xmlns:sf': METADATA_NS,
      '@_xmlns:xsi': XSI_NS,
      'soapenv:Body': body,
    },
  });
  return { status, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: xml };
}
