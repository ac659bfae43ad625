/**
 * Steps shared by the tours of the addons built on service_portal: the customer picks the
 * first two free arrival windows of the picker (#service_arrival_picker).
 */
export function pickTwoWindowsSteps() {
    return [
        {
            content: "Pick the first free window",
            trigger: "#service_arrival_picker input[name=windows]:first",
            run: "click",
        },
        {
            content: "And the second one",
            trigger: "#service_arrival_picker .form-check:nth-child(2) input[name=windows]",
            run: "click",
        },
    ];
}
