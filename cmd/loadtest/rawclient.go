package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// rawConn is one keep-alive HTTP/1.1 connection that writes requests built
// in advance and reads their responses: the load tool shares the machine's
// two cores with the server it measures, and net/http's client (two
// goroutines per connection, a request object and header map per call)
// cost about as much CPU per request as the webhook's own handler. A
// lighter client leaves more of the machine to the server, the way a load
// generator written in C would.
type rawConn struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
}

// rawRequest renders d as the bytes of a signed webhook POST to host.
func rawRequest(host string, d delivery) []byte {
	b := make([]byte, 0, len(d.body)+256)
	if d.meta {
		b = append(b, "POST /webhooks/meta HTTP/1.1\r\nHost: "...)
		b = append(b, host...)
		b = append(b, "\r\nUser-Agent: facebookexternalua\r\nContent-Type: application/json\r\nX-Hub-Signature-256: "...)
	} else {
		b = append(b, "POST /webhooks/twilio HTTP/1.1\r\nHost: "...)
		b = append(b, host...)
		b = append(b, "\r\nUser-Agent: TwilioProxy/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: "...)
	}
	b = append(b, d.sig...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(d.body)), 10)
	b = append(b, "\r\n\r\n"...)
	return append(b, d.body...)
}

// do sends req and returns the response status and the time to the end of
// its body. A transport error closes the connection; the next call dials
// again.
func (c *rawConn) do(ctx context.Context, req []byte) (int, time.Duration, error) {
	start := time.Now()
	if c.conn == nil {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return 0, time.Since(start), fmt.Errorf("webhook: %w", err)
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 4096)
	}
	// Twilio's patience, as the net/http client had it.
	_ = c.conn.SetDeadline(start.Add(15 * time.Second))
	code, err := c.roundTrip(req)
	lat := time.Since(start)
	if err != nil {
		c.close()
		return 0, lat, fmt.Errorf("webhook: %w", err)
	}
	return code, lat, nil
}

func (c *rawConn) roundTrip(req []byte) (int, error) {
	if _, err := c.conn.Write(req); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.Close {
		c.close()
	}
	return resp.StatusCode, nil
}

func (c *rawConn) close() {
	if c.conn != nil {
		_ = c.conn.Close()
		c.conn, c.br = nil, nil
	}
}
