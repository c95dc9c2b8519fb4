/**
 * The connections table as the runtime API reads it: a user's connections through the `userIdIndex` index, every
 * connection through a parallel scan, and the deletion of a row whose connection is gone. Only the key attribute is
 * read (`ProjectionExpression`), so a page holds as many connections as DynamoDB's 1 MB allows.
 */
import { DeleteItemCommand, DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConnectionAttributes } from '../src/wire-contract';

/** One row of the table, as the runtime API returns it. */
export interface ConnectionRecord {
  readonly connectionId: string;
  readonly userId: string;
}

type Key = Record<string, AttributeValue>;

export class ConnectionsTable {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  /** Every connection of the user, every page read. The index is eventually consistent: a connection a few milliseconds old may be missing. */
  async connectionsOfUser(userId: string): Promise<ConnectionRecord[]> {
    const records: ConnectionRecord[] = [];
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: ConnectionAttributes.USER_ID_INDEX,
        KeyConditionExpression: '#userId = :userId',
        ProjectionExpression: '#connectionId, #userId',
        ExpressionAttributeNames: { '#userId': ConnectionAttributes.USER_ID, '#connectionId': ConnectionAttributes.CONNECTION_ID },
        ExpressionAttributeValues: { ':userId': { S: userId } },
        ExclusiveStartKey: startKey,
      }));
      records.push(...(page.Items ?? []).flatMap(recordOf));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  /** The connection ids of one segment of a parallel scan, yielded page by page as DynamoDB returns them. */
  async *connectionIdsInSegment(segment: number, totalSegments: number): AsyncGenerator<string> {
    let startKey: Key | undefined;
    do {
      const page = await this.client.send(new ScanCommand({
        TableName: this.tableName,
        Segment: segment,
        TotalSegments: totalSegments,
        ProjectionExpression: '#connectionId',
        ExpressionAttributeNames: { '#connectionId': ConnectionAttributes.CONNECTION_ID },
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        const connectionId = item[ConnectionAttributes.CONNECTION_ID]?.S;
        if (connectionId) yield connectionId;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** Deleting a row that is not there succeeds, so a 410 seen twice, or a `$disconnect` racing it, is harmless. */
  async deleteRow(connectionId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { [ConnectionAttributes.CONNECTION_ID]: { S: connectionId } },
    }));
  }
}

function recordOf(item: Key): ConnectionRecord[] {
  const connectionId = item[ConnectionAttributes.CONNECTION_ID]?.S;
  const userId = item[ConnectionAttributes.USER_ID]?.S;
  return connectionId && userId ? [{ connectionId, userId }] : [];
}
