package switchboard_test

import (
	"context"
	"fmt"
	"os"

	"github.com/switchboardhq/switchboard"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
)

// readme:start

// OrderArgs are the arguments the model fills in; the JSON Schema the
// model sees, and validation, come from this struct.
type OrderArgs struct {
	Order string `json:"order" jsonschema:"the order number, such as A100"`
}

// orderStatus is a tool: a name, a description and a typed Go function.
var orderStatus = tools.Must(tools.New("order_status", "Where a customer's order is",
	func(ctx context.Context, a OrderArgs) (string, error) {
		if a.Order != "A100" {
			return "", tools.Errorf("there is no order %s", a.Order) // the model reads this
		}
		return "shipped Monday, arriving Thursday", nil
	}))

// readme:end

// The assistant with one tool of your own. Without WithModel, New uses the
// model the environment names (OPENAI_API_KEY, LLM_PROVIDER, …), like the
// assistant command; here a scripted model stands in for it.
func Example() {
	ctx := context.Background()
	a, err := switchboard.New(ctx, os.Getenv, switchboard.WithTools(orderStatus), switchboard.WithModel(scriptedModel))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := a.Reply(ctx, "whatsapp:+15551234567", "Where is my order A100?")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range r.ToolCalls {
		fmt.Println("tool:", c.Name, c.Arguments, "→", c.Result)
	}
	fmt.Println("reply:", r.Text)
	// Output:
	// tool: order_status {"order":"A100"} → shipped Monday, arriving Thursday
	// reply: Your order A100 shipped Monday and arrives Thursday.
}

// scriptedModel asks for order_status, then answers with its result.
var scriptedModel = llm.ModelFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
	last := req.Messages[len(req.Messages)-1]
	if last.Role == llm.RoleTool {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: "Your order A100 shipped Monday and arrives Thursday."}}, nil
	}
	call := llm.ToolCall{ID: "call_1", Name: "order_status", Arguments: `{"order":"A100"}`}
	return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call}}}, nil
})
