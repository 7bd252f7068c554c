package bridge.gateway.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline on reading each request, headers and body together, counted from its first byte: a
 * client that dribbles a request (slowloris) holds a connection for at most this long, however
 * regularly it sends. Netty's idle timeouts alone do not do this (every byte resets them). One
 * handler sits before the HTTP codec (sees the first raw byte), a second after it (sees the end
 * of the request); between requests on a kept-alive connection the server's idle timeout applies.
 */
public final class RequestReadDeadline {

    public static final String FIRST_BYTE = "bridgeRequestFirstByte";
    public static final String REQUEST_END = "bridgeRequestEnd";

    private final long nanos;
    private ScheduledFuture<?> timer;

    private RequestReadDeadline(Duration deadline) {
        this.nanos = deadline.toNanos();
    }

    /** Adds both handlers around the HTTP codec named {@code codec} of a new connection's pipeline. */
    public static void install(Channel channel, String codec, Duration deadline) {
        if (channel.pipeline().get(codec) == null) {
            return; // not an HTTP/1.1 pipeline (e.g. h2): nothing to hook
        }
        RequestReadDeadline deadlineState = new RequestReadDeadline(deadline);
        channel.pipeline().addBefore(codec, FIRST_BYTE, deadlineState.new FirstByte());
        channel.pipeline().addAfter(codec, REQUEST_END, deadlineState.new RequestEnd());
    }

    private final class FirstByte extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
                timer = ctx.executor().schedule(() -> {
                    ctx.channel().close();
                }, nanos, TimeUnit.NANOSECONDS);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancel();
            super.channelInactive(ctx);
        }
    }

    private final class RequestEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof LastHttpContent) {
                cancel();
            }
            super.channelRead(ctx, msg);
        }
    }

    // both handlers run on the channel's event loop: no locking needed
    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
